import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVirtualDevice, prepareSaneConfigDir, systemBackends } from '../../../src-main/scan/sane-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qab-sanecfg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('project-owned SANE configuration', () => {
  it('reads the backends a system enables, without comments and without test', async () => {
    const sys = join(dir, 'sys');
    await mkdir(sys);
    await writeFile(join(sys, 'dll.conf'), '# comment\nnet\n#test\n  epson2  # Epson\n\nhpaio\ntest\n');
    expect(systemBackends([join(dir, 'none'), sys])).toEqual(['net', 'epson2', 'hpaio']);
  });

  it("'test' mode searches only our directory; libsane then sees the test device", async () => {
    const env = await prepareSaneConfigDir(join(dir, 'only-test'), 'test', { devices: 2 });
    expect(env).toEqual({ SANE_CONFIG_DIR: join(dir, 'only-test') });
    expect((await readFile(join(dir, 'only-test', 'dll.conf'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['test']);
    const r = spawnSync('scanimage', ['-L'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(r.stdout).toContain("device `test:0' is a Noname frontend-tester virtual device");
    expect(r.stdout).toContain('test:1');
  });

  it("'system+test' keeps the system's backends and appends the default dirs with a trailing ':'", async () => {
    const env = await prepareSaneConfigDir(join(dir, 'both'), 'system+test');
    expect(env.SANE_CONFIG_DIR).toBe(join(dir, 'both') + ':');
    const conf = await readFile(join(dir, 'both', 'dll.conf'), 'utf8');
    expect(conf).toMatch(/^test$/m);
    // Real SANE with the real /etc/sane.d behind ours: the test device is there too.
    const r = spawnSync('scanimage', ['-L'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toContain('test:0');
  });

  it("'system' mode leaves SANE alone", async () => {
    expect(await prepareSaneConfigDir(join(dir, 'sys-only'), 'system')).toEqual({});
  });

  it('recognises the test backend devices as virtual', () => {
    expect(isVirtualDevice({ id: 'test:0', vendor: 'Noname', model: 'frontend-tester' })).toBe(true);
    expect(isVirtualDevice({ id: 'epson2:net:10.0.0.5', vendor: 'Epson', model: 'DS-530' })).toBe(false);
  });
});
