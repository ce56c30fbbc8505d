import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configPaths, envVariableNames, loadConfig } from '../../../src-main/host/config.js';

function setup(files: { machine?: string; user?: string } = {}, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'qab-cfg-'));
  const machine = join(dir, 'etc', 'config.json');
  const user = join(dir, 'home', 'config.json');
  mkdirSync(join(dir, 'etc'));
  mkdirSync(join(dir, 'home'));
  if (files.machine !== undefined) writeFileSync(machine, files.machine);
  if (files.user !== undefined) writeFileSync(user, files.user);
  const load = () => loadConfig({ env: { HOME: dir, QABYLDAU_MACHINE_CONFIG: machine, QABYLDAU_USER_CONFIG: user, ...env } });
  /** As an installed app loads it: the files at their fixed places, no development exceptions. */
  const loadInstalled = () => loadConfig({ env: { HOME: dir, ...env }, mode: 'production', paths: { machine, user } });
  return { dir, machine, user, load, loadInstalled };
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('layered configuration', () => {
  it('starts from built-in defaults: Kazakh, the sandbox backend, not kiosk', () => {
    const { config, sources } = setup().load();
    expect(config.language).toBe('kk');
    expect(config.kiosk).toBe(false);
    expect(config.backend.url).toBe('https://127.0.0.1:8787');
    expect(sources).toEqual(['defaults']);
  });

  it('applies machine file, then user file, then environment, each overriding the one before', () => {
    const { load, machine, user } = setup(
      {
        machine: JSON.stringify({ language: 'ru', kiosk: true, workstationId: 'W07', backend: { timeoutMs: 9000 } }),
        user: JSON.stringify({ language: 'en', backend: { timeoutMs: 7000 } }),
      },
      { QABYLDAU_BACKEND__TIMEOUT_MS: '5000' },
    );
    const { config, provenance, sources } = load();
    expect(config.language).toBe('en');
    expect(config.kiosk).toBe(true);
    expect(config.workstationId).toBe('W07');
    expect(config.backend.timeoutMs).toBe(5000);
    expect(provenance.language).toBe(user);
    expect(provenance.kiosk).toBe(machine);
    expect(provenance['backend.timeoutMs']).toBe('environment variable QABYLDAU_BACKEND__TIMEOUT_MS');
    expect(sources).toEqual(['defaults', machine, user, 'environment']);
  });

  it('resolves relative paths in a file against that file\'s folder', () => {
    const { load, dir } = setup({ machine: JSON.stringify({ dataDir: 'data', backend: { caFile: 'ca/root.pem' } }) });
    const { config } = load();
    expect(config.dataDir).toBe(join(dir, 'etc', 'data'));
    expect(config.backend.caFile).toBe(join(dir, 'etc', 'ca', 'root.pem'));
  });

  it('refuses broken JSON, naming the file', () => {
    const { load, machine } = setup({ machine: '{ "language": "kk", ' });
    const e = configError(load);
    expect(e.source).toBe(machine);
    expect(e.message).toContain(machine);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('refuses an unknown key, naming the file and the full key', () => {
    const { load, user } = setup({ user: JSON.stringify({ backend: { timeoutMs: 3000, retries: 3 } }) });
    const e = configError(load);
    expect(e.source).toBe(user);
    expect(e.key).toBe('backend.retries');
    expect(e.message).toBe(`Configuration error in ${user}: key "backend.retries": unknown key`);
  });

  it('refuses a wrong type, naming the file that set it and the key', () => {
    const { load, machine } = setup({ machine: JSON.stringify({ kiosk: 'yes' }) });
    const e = configError(load);
    expect(e.source).toBe(machine);
    expect(e.key).toBe('kiosk');
  });

  it('refuses an invalid Centre BIN with the key centre.bin', () => {
    const { load, machine } = setup({ machine: JSON.stringify({ centre: { bin: '040340001234' } }) });
    const e = configError(load);
    expect([e.source, e.key]).toEqual([machine, 'centre.bin']);
    expect(e.reason).toMatch(/BIN/);
  });

  it('refuses a bad environment variable, naming the variable', () => {
    const e1 = configError(setup({}, { QABYLDAU_KIOSK: 'maybe' }).load);
    expect(e1.source).toBe('environment variable QABYLDAU_KIOSK');
    const e2 = configError(setup({}, { QABYLDAU_BACKEND__URLL: 'http://x' }).load);
    expect(e2.message).toMatch(/QABYLDAU_BACKEND__URLL.*unknown configuration variable/);
    const e3 = configError(setup({}, { QABYLDAU_BACKEND__URL: 'ftp://x' }).load);
    expect([e3.source, e3.key]).toEqual(['environment variable QABYLDAU_BACKEND__URL', 'backend.url']);
  });

  it('names every key as an environment variable', () => {
    const names = [...envVariableNames().keys()];
    expect(names).toContain('QABYLDAU_DATA_DIR');
    expect(names).toContain('QABYLDAU_CENTRE__NAME__KK');
    expect(names).toContain('QABYLDAU_SIGNING__TRUST_ROOTS_FILE');
  });

  it('puts the machine file in %ProgramData% on Windows and /etc on Linux', () => {
    expect(configPaths({ ProgramData: 'D:\\PD', APPDATA: 'D:\\AD' }, 'win32')).toEqual({
      machine: 'D:\\PD/Qabyldau/config.json'.replace(/\//g, join('a', 'b').includes('\\') ? '\\' : '/'),
      user: 'D:\\AD/Qabyldau/config.json'.replace(/\//g, join('a', 'b').includes('\\') ? '\\' : '/'),
    });
    expect(configPaths({ HOME: '/home/op' }, 'linux')).toEqual({
      machine: '/etc/qabyldau/config.json',
      user: '/home/op/.config/qabyldau/config.json',
    });
  });
});

describe('locked settings', () => {
  it('a user file setting kiosk:false under a machine file with kiosk:true does not unlock kiosk: the start is refused, naming the file and key', () => {
    for (const t of [setup({ machine: JSON.stringify({ kiosk: true }), user: JSON.stringify({ kiosk: false }) })]) {
      for (const load of [t.load, t.loadInstalled]) {
        const e = configError(load);
        expect([e.source, e.key]).toEqual([t.user, 'kiosk']);
        expect(e.message).toContain(`only the machine-wide file (${t.machine})`);
      }
    }
  });

  it('refuses every locked key from a user file, however deep, and keeps the unlocked ones', () => {
    const cases: [unknown, string][] = [
      [{ backend: { url: 'http://evil.example' } }, 'backend.url'],
      [{ backend: { caFile: 'mine.pem' } }, 'backend.caFile'],
      [{ signing: { trustRootsFile: 'roots.pem' } }, 'signing.trustRootsFile'],
      [{ signing: { revocation: { mode: 'offline' } } }, 'signing.revocation'],
      [{ auth: { idleTimeoutMinutes: 1440 } }, 'auth'],
      [{ dataDir: '/tmp/x' }, 'dataDir'],
      [{ retention: { days: 3650 } }, 'retention'],
    ];
    for (const [user, key] of cases) {
      const t = setup({ user: JSON.stringify(user) });
      const e = configError(t.load);
      expect([e.source, e.key]).toEqual([t.user, key]);
    }
    const ok = setup({ machine: JSON.stringify({ kiosk: true }), user: JSON.stringify({ language: 'ru', signing: { provider: 'ncalayer' } }) }).load();
    expect([ok.config.kiosk, ok.config.language, ok.config.signing.provider]).toEqual([true, 'ru', 'ncalayer']);
  });

  it('an installed app refuses a QABYLDAU_* variable that sets a locked key, and QABYLDAU_MACHINE_CONFIG', () => {
    const t = setup({ machine: JSON.stringify({ kiosk: true }) }, { QABYLDAU_KIOSK: 'false' });
    expect(t.load().config.kiosk).toBe(false); // development: variables may (npm start, tests)
    const e = configError(t.loadInstalled);
    expect([e.source, e.key]).toEqual(['environment variable QABYLDAU_KIOSK', 'kiosk']);
    expect(setup({}, { QABYLDAU_LANGUAGE: 'en' }).loadInstalled().config.language).toBe('en');
    const moved = setup({}, { QABYLDAU_MACHINE_CONFIG: '/tmp/mine.json' });
    expect(configError(moved.loadInstalled).source).toBe('environment variable QABYLDAU_MACHINE_CONFIG');
  });

  it('an installed app wants an https: backend and no demo accounts', () => {
    const http = setup({ machine: JSON.stringify({ backend: { url: 'http://gateway.example.kz' } }) });
    expect(http.load().config.backend.url).toBe('http://gateway.example.kz');
    const e = configError(http.loadInstalled);
    expect([e.source, e.key]).toEqual([http.machine, 'backend.url']);
    const demo = configError(setup({ machine: JSON.stringify({ auth: { seedDemoAccounts: true } }) }).loadInstalled);
    expect(demo.key).toBe('auth.seedDemoAccounts');
    expect(setup().loadInstalled().config.auth.seedDemoAccounts).toBe(false);
  });

  it('refuses "__proto__" and other inherited names as unknown keys, at any depth, without touching prototypes', () => {
    for (const [text, key] of [
      ['{"__proto__": {"kiosk": true}}', '__proto__'],
      ['{"backend": {"__proto__": {"url": "http://x"}}}', 'backend.__proto__'],
      ['{"constructor": {}}', 'constructor'],
      ['{"log": {"toString": 1}}', 'log.toString'],
    ] as const) {
      for (const file of ['machine', 'user'] as const) {
        const t = setup({ [file]: text });
        const e = configError(t.load);
        expect([e.source, e.key, e.reason]).toEqual([t[file], key, 'unknown key']);
      }
    }
    expect(({} as Record<string, unknown>).kiosk).toBeUndefined();
  });
});
