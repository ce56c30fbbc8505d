/**
 * The workstation's TLS credentials for the gateway, from the configuration (backend.*): the CA
 * that signs the backend's certificate, and the workstation's client certificate for mutual TLS,
 * either as PEM certificate + key or as a PKCS#12 file, with an optional password read from a
 * file. Checked once at start (a key that does not match its certificate, a wrong password, an
 * unreadable file) so a misconfiguration is reported at once and not at the first send.
 *
 * Errors name the configuration key only: never a path's contents, a password or key material.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { AppError } from '../contract/errors.js';
import type { TlsCredentials } from './http.js';

export interface BackendTlsConfig {
  caFile: string | null;
  clientCertFile: string | null;
  clientKeyFile: string | null;
  clientPkcs12File: string | null;
  clientKeyPasswordFile: string | null;
}

function read(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new AppError('GATEWAY_CLIENT_CERT_INVALID', { key }, { detail: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
  }
}

/**
 * `passphrase`: the client key's password from the keyring (crypto/client-key-password.ts); the
 * password file is read only when none is given (tools, tests, a workstation not yet started).
 */
export function loadTlsCredentials(c: BackendTlsConfig, passphrase: string | null = null): TlsCredentials {
  const out: TlsCredentials = {};
  if (c.caFile) out.ca = read(c.caFile, 'backend.caFile').toString('utf8');
  if (c.clientPkcs12File && (c.clientCertFile || c.clientKeyFile)) {
    throw new AppError('GATEWAY_CLIENT_CERT_INVALID', { key: 'backend.clientPkcs12File' }, { detail: 'give either a PKCS#12 file or a PEM certificate and key, not both' });
  }
  if (Boolean(c.clientCertFile) !== Boolean(c.clientKeyFile)) {
    throw new AppError('GATEWAY_CLIENT_CERT_INVALID', { key: c.clientCertFile ? 'backend.clientKeyFile' : 'backend.clientCertFile' }, { detail: 'certificate and key go together' });
  }
  if (passphrase !== null) out.passphrase = passphrase;
  else if (c.clientKeyPasswordFile) out.passphrase = read(c.clientKeyPasswordFile, 'backend.clientKeyPasswordFile').toString('utf8').replace(/\r?\n$/, '');
  if (c.clientPkcs12File) out.pfx = read(c.clientPkcs12File, 'backend.clientPkcs12File');
  if (c.clientCertFile && c.clientKeyFile) {
    out.cert = read(c.clientCertFile, 'backend.clientCertFile').toString('utf8');
    out.key = read(c.clientKeyFile, 'backend.clientKeyFile').toString('utf8');
  }
  try {
    createSecureContext(out);
  } catch (e) {
    const key = c.clientPkcs12File ? 'backend.clientPkcs12File' : c.clientKeyFile ? 'backend.clientKeyFile' : 'backend.caFile';
    // OpenSSL's reason (e.g. "mac verify failure", "key values mismatch") carries no key material.
    throw new AppError('GATEWAY_CLIENT_CERT_INVALID', { key }, { detail: e instanceof Error ? e.message.split('\n')[0]! : 'invalid' });
  }
  return out;
}
