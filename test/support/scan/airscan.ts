// Debian's sane-airscan (an eSCL client nobody here wrote) pointed at the sandbox eSCL scanner:
// a SANE_CONFIG_DIR with only the airscan backend, the scanner entered by URL, and DNS-SD
// discovery off (everything stays on loopback). scanimage runs as a child process, so the
// sandbox in this process keeps answering.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function airscanConfigDir(dir: string, scanners: { name: string; url: string }[]): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'dll.conf'), 'airscan\n');
  const devices = scanners.map((s) => `"${s.name}" = ${s.url}, eSCL`).join('\n');
  await writeFile(join(dir, 'airscan.conf'), `[devices]\n${devices}\n\n[options]\ndiscovery = disable\n`);
  // No trailing ':': the system's SANE configuration is not searched.
  return { SANE_CONFIG_DIR: dir };
}

export async function scanimage(env: Record<string, string>, args: string[], timeoutMs = 120_000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const r = await run('scanimage', args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8' });
    return { ok: true, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    return { ok: false, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}
