/**
 * The backend client key's password in the keyring, not in a file beside it: a password file of
 * the version before is moved in at the first start and deleted; the admin command sets it; the
 * encrypted client key (made by openssl) opens with it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../scripts/admin.js';
import { clientKeyPassword, CLIENT_KEY_PASSWORD } from '../../../src-main/crypto/client-key-password.js';
import { fileSealer, loadKeyring } from '../../../src-main/crypto/keyring.js';
import { loadTlsCredentials } from '../../../src-main/gateway/tls.js';
import { captureLogger } from '../../support/capture-logger.js';
import { openFixture } from '../../support/store-fixture.js';
import { testPki } from '../../support/pki.js';

const PASSWORD = 'client-key-Pa55word';
let dir: string;
let encryptedKey: string;
const pki = testPki();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qab-client-key-'));
  encryptedKey = join(dir, 'client.key.pem');
  execFileSync('openssl', ['pkey', '-in', pki.tls.clientKey, '-aes256', '-passout', `pass:${PASSWORD}`, '-out', encryptedKey]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backend = (passwordFile: string | null) => ({ caFile: pki.tls.ca, clientCertFile: pki.tls.clientCert, clientKeyFile: encryptedKey, clientPkcs12File: null, clientKeyPasswordFile: passwordFile });

describe('the client key password', () => {
  it('is moved from the old password file into the keyring at start, the file deleted, and opens the key', async () => {
    const fx = await openFixture();
    try {
      const file = join(dir, 'client-key.password');
      writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
      const lines: string[] = [];
      const first = clientKeyPassword(fx.store.keyring, file, captureLogger(lines));
      expect(first).toMatchObject({ password: PASSWORD, movedFromFile: true });
      expect(existsSync(file)).toBe(false);
      expect(loadKeyring(join(fx.dataDir, 'keys'), fileSealer).secret(CLIENT_KEY_PASSWORD)?.toString('utf8')).toBe(PASSWORD);
      expect(lines.join('\n')).not.toContain(PASSWORD);
      // The next start: no file any more, the keyring answers; the configuration may still name the file.
      const again = clientKeyPassword(loadKeyring(join(fx.dataDir, 'keys'), fileSealer), file, captureLogger([]));
      expect(again).toMatchObject({ password: PASSWORD, movedFromFile: false });
      expect(loadTlsCredentials(backend(file), again.password).passphrase).toBe(PASSWORD);
      // Without it the encrypted key does not open: a clear error naming the setting.
      expect(() => loadTlsCredentials(backend(null), 'wrong password')).toThrow(expect.objectContaining({ code: 'GATEWAY_CLIENT_CERT_INVALID' }));
    } finally {
      await fx.close();
    }
  });

  it('is set by the administrator with set-client-key-password, and audited', async () => {
    const fx = await openFixture();
    const dataDir = fx.dataDir;
    await fx.close({ keep: true });
    const pwFile = join(dir, 'typed.txt');
    writeFileSync(pwFile, `${PASSWORD}\n`);
    const lines: string[] = [];
    const env = { HOME: dir, QABYLDAU_MACHINE_CONFIG: join(dir, 'none.json'), QABYLDAU_USER_CONFIG: join(dir, 'none-user.json') };
    expect(await runAdmin(['set-client-key-password', '--password-file', pwFile, '--data-dir', dataDir], (l) => lines.push(l), env)).toBe(0);
    const keyring = loadKeyring(join(dataDir, 'keys'), fileSealer);
    expect(keyring.secret(CLIENT_KEY_PASSWORD)?.toString('utf8')).toBe(PASSWORD);
    expect(lines.join('\n')).not.toContain(PASSWORD);
    const reopened = await openFixture({ dir: join(dataDir, '..'), dataDir });
    try {
      expect(reopened.store.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'admin.client-key-password'`).get()).toEqual({ n: 1 });
      expect(readFileSync(join(dataDir, 'keys', 'keyring.json'), 'utf8')).toContain(CLIENT_KEY_PASSWORD);
    } finally {
      await reopened.close();
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  });
});
