import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/host/config.js';
import { appRoot } from '../../../src-main/host/paths.js';

it('the documented configuration template loads (every key known, every value valid)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qab-cfgex-'));
  const file = join(dir, 'config.json');
  copyFileSync(join(appRoot(), 'docs', 'config.example.json'), file);
  const { config } = loadConfig({ env: { HOME: dir, QABYLDAU_MACHINE_CONFIG: file, QABYLDAU_USER_CONFIG: join(dir, 'none.json') } });
  expect(config.kiosk).toBe(true);
  expect(config.auth.seedDemoAccounts).toBe(false);
  expect(config.signing.trustRootsFile).toBe(join(dir, 'nca-roots.pem'));
  expect(config.backend.clientPkcs12File).toBe(join(dir, 'workstation.p12'));
});
