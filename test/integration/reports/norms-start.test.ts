/**
 * A broken step norms file refuses the start, naming the file and the entry: an administrator's
 * norms file (data/catalog/norms.json, beside an administrator's catalogue) with an unknown
 * service, a negative time or a missing unit. Through the host (startStack), and through the real
 * app process (`node dist/main/browser-host.js`, built by `node scripts/build.mjs`): it exits with
 * code 2, says why on stderr and never offers a URL. The shipped file alone starts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot, assetPath } from '../../../src-main/host/paths.js';
import { startStack } from '../../support/stack.js';

type NormsFile = { services: { serviceId: string; steps: Record<string, unknown>[] }[] };
const shipped = () => JSON.parse(readFileSync(assetPath('catalog', 'norms.json'), 'utf8')) as NormsFile;
const edited = (edit: (f: NormsFile) => void) => {
  const f = shipped();
  edit(f);
  return f;
};
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BROKEN: [string, NormsFile, RegExp][] = [
  ['an unknown service', edited((f) => (f.services[0]!.serviceId = 'no-such-service')), /norms file \S+catalog\/norms\.json: services\[0\] \(no-such-service\): no such service in the catalogue/],
  ['a negative time', edited((f) => (f.services[0]!.steps[1]!.max = -30)), /norms file \S+catalog\/norms\.json: services\[0\] \(emission-permit-aktobe\)\.steps\[1\]\.max: must be a positive time/],
  ['a missing unit', edited((f) => delete f.services[2]!.steps[0]!.unit), /norms file \S+catalog\/norms\.json: services\[2\] \(emission-permit-almaty\)\.steps\[0\]\.unit: must be "seconds" or "minutes"/],
];

describe('the start refuses a broken norms file', () => {
  for (const [what, norms, message] of BROKEN) {
    it(`refuses ${what}, naming the file and the entry (host)`, async () => {
      await expect(startStack({ backendDown: true, norms })).rejects.toThrow(message);
    });
  }

  it('the app process exits with code 2 and says why; with the shipped norms it starts', { timeout: 60_000 }, async () => {
    const run = (norms: NormsFile | null) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const dir = mkdtempSync(join(tmpdir(), 'qab-norms-start-'));
        dirs.push(dir);
        if (norms) {
          mkdirSync(join(dir, 'data', 'catalog'), { recursive: true });
          writeFileSync(join(dir, 'data', 'catalog', 'norms.json'), JSON.stringify(norms));
        }
        const env = {
          ...process.env,
          QABYLDAU_DATA_DIR: join(dir, 'data'),
          QABYLDAU_MACHINE_CONFIG: join(dir, 'none-machine.json'),
          QABYLDAU_USER_CONFIG: join(dir, 'none-user.json'),
          QABYLDAU_BROWSER_HOST__PORT: '0',
          QABYLDAU_BACKEND__URL: 'https://127.0.0.1:9', // nothing there: the start does not need the backend
          QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS: 'true',
        };
        const child = spawn(process.execPath, [join(appRoot(), 'dist', 'main', 'browser-host.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          // Started: that is all this case needs to know.
          if (stdout.includes('QABYLDAU_URL=')) child.kill('SIGTERM');
        });
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const refused = await run(BROKEN[2]![1]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(BROKEN[2]![2]);
    expect(refused.stdout).not.toContain('QABYLDAU_URL=');
    const started = await run(null);
    expect(started.stdout).toContain('QABYLDAU_URL=');
  });
});
