/**
 * The walking skeleton's scanner: one page through SANE's own `scanimage`, in a child process (a
 * crashing driver cannot take the app down). "auto" uses the first real SANE device; when there is
 * none it uses the SANE `test` backend, enabled through a private SANE_CONFIG_DIR so the system's
 * configuration is never edited. No SANE at all (Windows, or Linux without sane-utils): the
 * scanner reports itself unavailable and the UI offers file import.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { NewPage } from '../requests/request-service.js';

export interface ScannerPort {
  availability(): { available: boolean; reason: string | null };
  scanPage(): Promise<NewPage>;
}

const MAX_PAGE_BYTES = 64 * 1024 * 1024;

export class ScanimageScanner implements ScannerPort {
  private device: { name: string; env: NodeJS.ProcessEnv } | null = null;
  private readonly testConfigDir: string;

  constructor(
    private readonly opts: { mode: 'auto' | 'sane' | 'none'; device: string | null; dataDir: string; resolution?: number },
    private readonly log: Logger,
  ) {
    this.testConfigDir = join(opts.dataDir, 'sane-test.d');
  }

  availability(): { available: boolean; reason: string | null } {
    if (this.opts.mode === 'none') return { available: false, reason: 'disabled' };
    const probe = spawnSync('scanimage', ['--version'], { encoding: 'utf8', timeout: 5000 });
    if (probe.error || probe.status !== 0) return { available: false, reason: 'no_sane' };
    return { available: true, reason: null };
  }

  async scanPage(): Promise<NewPage> {
    if (!this.availability().available) throw new AppError('SCAN_NO_SANE');
    const device = this.device ?? (this.device = this.findDevice());
    const isTest = device.name.startsWith('test');
    const dpi = this.opts.resolution ?? 200;
    const args = ['-d', device.name, '--format=jpeg', '--mode', 'Gray', '--resolution', String(dpi)];
    if (isTest) args.push('--test-picture', 'Color pattern', '-x', '210', '-y', '297');
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('scanimage', args, { env: device.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let size = 0;
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        size += c.byteLength;
        if (size > MAX_PAGE_BYTES) child.kill('SIGKILL');
        else out.push(c);
      });
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', (e) => reject(new AppError('SCAN_NO_SANE', {}, { cause: e })));
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && size > 0 && size <= MAX_PAGE_BYTES) resolve(Buffer.concat(out));
        else {
          this.log.warn({ exitCode: code, stderr: stderr.slice(0, 200) }, 'scanimage failed');
          this.device = null;
          reject(new AppError(/busy/i.test(stderr) ? 'SCAN_DEVICE_BUSY' : 'SCAN_FAILED', {}, { retryable: true }));
        }
      });
    });
    const dims = jpegSize(bytes);
    return { bytes, mediaType: 'image/jpeg', width: dims?.width ?? null, height: dims?.height ?? null, dpi, source: 'scanner' };
  }

  private findDevice(): { name: string; env: NodeJS.ProcessEnv } {
    const list = (env: NodeJS.ProcessEnv) => {
      const r = spawnSync('scanimage', ['-f', '%d%n'], { encoding: 'utf8', env, timeout: 30_000 });
      return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
    };
    if (this.opts.device) {
      return { name: this.opts.device, env: this.opts.device.startsWith('test') ? this.testEnv() : process.env };
    }
    const real = list(process.env).filter((d) => !d.startsWith('test'));
    if (real[0]) return { name: real[0], env: process.env };
    if (this.opts.mode === 'sane') throw new AppError('SCAN_NO_DEVICE');
    const env = this.testEnv();
    const test = list(env);
    if (!test[0]) throw new AppError('SCAN_NO_DEVICE');
    this.log.info({ device: test[0] }, 'no real scanner found: using the SANE test device');
    return { name: test[0], env };
  }

  private testEnv(): NodeJS.ProcessEnv {
    mkdirSync(this.testConfigDir, { recursive: true });
    writeFileSync(join(this.testConfigDir, 'dll.conf'), 'test\n');
    return { ...process.env, SANE_CONFIG_DIR: this.testConfigDir };
  }
}

/** Width and height from a JPEG's SOF marker, without decoding it. */
export function jpegSize(b: Buffer): { width: number; height: number } | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}
