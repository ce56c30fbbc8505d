/**
 * PDF pages through poppler-utils (`pdfinfo`, `pdftoppm`), run as separate processes: a hostile
 * PDF can at worst crash or stall a short-lived child, which is killed after a timeout and, on
 * Linux/macOS, runs under an address-space limit (`ulimit -v`).
 *
 * Windows has no pdftoppm by default: findPdfTools() returns null there unless the installer
 * ships poppler and the host passes its path; PDF import then fails with
 * SCAN_IMPORT_PDF_UNAVAILABLE and status() leaves 'pdf' out of the import formats.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { AppError } from '../../contract/errors.js';

export interface PdfTools {
  pdfinfo: string;
  pdftoppm: string;
}

function which(cmd: string): string | null {
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const ext of exts) {
      const p = join(dir, cmd + ext);
      if (dir && existsSync(p)) return p;
    }
  }
  return null;
}

/** Finds poppler's tools (in `dir` when given, else on PATH); null when missing. */
export function findPdfTools(dir?: string): PdfTools | null {
  const find = (c: string) => (dir ? [join(dir, c), join(dir, c + '.exe')].find((p) => existsSync(p)) ?? null : which(c));
  const pdfinfo = find('pdfinfo');
  const pdftoppm = find('pdftoppm');
  return pdfinfo && pdftoppm ? { pdfinfo, pdftoppm } : null;
}

export interface RunLimits {
  timeoutMs: number;
  /** Address-space limit for the child, in MiB (Linux/macOS). */
  memoryMb: number;
  /** Largest stdout kept, in bytes. */
  maxOutput: number;
}

async function run(cmd: string, args: string[], lim: RunLimits): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const useShell = process.platform !== 'win32' && existsSync('/bin/sh');
  const [file, argv] = useShell
    ? ['/bin/sh', ['-c', `ulimit -v ${lim.memoryMb * 1024} 2>/dev/null; exec "$0" "$@"`, cmd, ...args]]
    : [cmd, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, lim.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < lim.maxOutput) out += c.toString('latin1');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 4096) err += c.toString('latin1');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new AppError('SCAN_IMPORT_TIMEOUT'));
      else resolve({ code, stdout: out, stderr: err });
    });
  });
}

export interface PdfInfo {
  pages: number;
  encrypted: boolean;
  /** Page sizes in PDF points (1/72 inch), for the pages asked for. */
  sizes: { widthPt: number; heightPt: number }[];
}

/** Page count first (cheap), then the sizes of at most `maxPages` pages. */
export async function pdfInfo(tools: PdfTools, file: string, maxPages: number, lim: RunLimits): Promise<PdfInfo> {
  const head = await run(tools.pdfinfo, [file], lim);
  if (head.code !== 0) {
    if (/incorrect password|encrypted/i.test(head.stderr)) throw new AppError('SCAN_IMPORT_ENCRYPTED');
    throw new AppError('SCAN_IMPORT_CORRUPT', {}, { detail: head.stderr.slice(0, 200) });
  }
  const pages = Number(/^Pages:\s+(\d+)/m.exec(head.stdout)?.[1] ?? NaN);
  const encrypted = /^Encrypted:\s+yes/m.test(head.stdout);
  if (!Number.isFinite(pages) || pages < 1) throw new AppError('SCAN_IMPORT_CORRUPT', {}, { detail: 'no pages' });
  if (pages > maxPages) return { pages, encrypted, sizes: [] };
  const detail = await run(tools.pdfinfo, ['-f', '1', '-l', String(pages), file], lim);
  const sizes: PdfInfo['sizes'] = [];
  const re = /^Page\s+(\d+)\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts/gm;
  for (let m = re.exec(detail.stdout); m; m = re.exec(detail.stdout)) {
    sizes[Number(m[1]) - 1] = { widthPt: Number(m[2]), heightPt: Number(m[3]) };
  }
  // Rotated pages: pdftoppm renders them rotated, the pixel count is the same.
  return { pages, encrypted, sizes };
}

/** Renders one page to PNG bytes at `dpi` (written to `outBase`.png). */
export async function renderPdfPage(tools: PdfTools, file: string, page: number, dpi: number, outBase: string, lim: RunLimits): Promise<string> {
  const r = await run(tools.pdftoppm, ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, outBase], lim);
  if (r.code !== 0) {
    if (/incorrect password/i.test(r.stderr)) throw new AppError('SCAN_IMPORT_ENCRYPTED');
    throw new AppError('SCAN_IMPORT_CORRUPT', {}, { detail: r.stderr.slice(0, 200) });
  }
  return `${outBase}.png`;
}
