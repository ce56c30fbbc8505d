/**
 * The password of the workstation's TLS client key (backend.clientKeyFile / clientPkcs12File) is
 * kept in the keyring, sealed like the data key (Electron's safeStorage, or the key file readable
 * only by the service account), not in a password file beside the configuration.
 *
 * An administrator sets it with `npm run admin -- set-client-key-password` (or `--password-file`).
 * A password file of the version before (backend.clientKeyPasswordFile) is moved in once at start:
 * the keyring is saved durably first, then the file is deleted; a crash in between leaves both,
 * and the next start moves it again (the same password), so the password is never lost.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Logger } from '../host/logger-types.js';
import type { Keyring } from './keyring.js';

export const CLIENT_KEY_PASSWORD = 'backend.clientKeyPassword';

/** The password as stored: the file's first line (a trailing newline is not part of it). */
export function passwordFromFile(file: string): Buffer {
  return Buffer.from(readFileSync(file, 'utf8').replace(/\r?\n$/, ''), 'utf8');
}

export function withClientKeyPassword(keyring: Keyring, password: Buffer): Keyring {
  const next = keyring.withSecret(CLIENT_KEY_PASSWORD, password);
  next.save();
  return next;
}

/**
 * The client key's password from the keyring, after moving in a password file left by the version
 * before (`passwordFile`, deleted once the keyring holding it is on disk). Null: none is set.
 */
export function clientKeyPassword(keyring: Keyring, passwordFile: string | null, log: Logger): { keyring: Keyring; password: string | null; movedFromFile: boolean } {
  let movedFromFile = false;
  if (passwordFile && existsSync(passwordFile)) {
    const pw = passwordFromFile(passwordFile);
    keyring = withClientKeyPassword(keyring, pw);
    pw.fill(0);
    try {
      rmSync(passwordFile);
      log.info({ key: 'backend.clientKeyPasswordFile' }, 'the client key password moved into the keyring; the password file was deleted');
    } catch (e) {
      log.warn({ key: 'backend.clientKeyPasswordFile', err: (e as NodeJS.ErrnoException).code }, 'the client key password is in the keyring, but its old file could not be deleted: delete it by hand');
    }
    movedFromFile = true;
  }
  return { keyring, password: keyring.secret(CLIENT_KEY_PASSWORD)?.toString('utf8') ?? null, movedFromFile };
}
