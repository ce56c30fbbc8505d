/**
 * The independent checkers from qpdf and poppler-utils (apt: qpdf, poppler-utils), run as
 * processes on files the tests write.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function tool(cmd: string, args: string[]): Promise<string> {
  const { stdout } = await run(cmd, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** Resolves with qpdf's report; rejects (non-zero exit) on errors or warnings. */
export async function qpdfCheck(path: string): Promise<string> {
  return tool('qpdf', ['--check', path]);
}

/** Text in content-stream order, whitespace collapsed, so wrapped values read as one string. */
export async function pdfText(path: string, opts: { first?: number; last?: number } = {}): Promise<string> {
  const args = ['-raw', '-enc', 'UTF-8'];
  if (opts.first) args.push('-f', String(opts.first));
  if (opts.last) args.push('-l', String(opts.last));
  const out = await tool('pdftotext', [...args, path, '-']);
  return out.replace(/\s+/g, ' ');
}

export async function pdfInfo(path: string, extra: string[] = []): Promise<string> {
  return tool('pdfinfo', [...extra, path]);
}
