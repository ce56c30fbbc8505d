/**
 * The data key sealed by the operating system (Electron's safeStorage): DPAPI on Windows, the
 * desktop keyring (libsecret / KWallet) on Linux. Where Linux has no keyring, Chromium falls back
 * to a fixed, public key ("basic_text"): that seals nothing, so the key file's own rights are used
 * instead (crypto/keyring.ts fileSealer), as in the browser host. Thin on purpose: the keyring
 * logic is in src-main/crypto and tested under Node.
 */
import { safeStorage } from 'electron';
import type { KeySealer } from '../crypto/keyring.js';

export function safeStorageSealer(): KeySealer | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    kind: 'safeStorage',
    seal: (secret) => safeStorage.encryptString(secret.toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
