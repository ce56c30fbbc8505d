/**
 * Chooses the request signer from the configuration. Until the signing service lands
 * (src-main/sign), a workstation with no keystore configured refuses to sign with a clear message.
 */
import { AppError } from '../contract/errors.js';
import type { RequestSigner } from '../requests/signing.js';
import type { Config } from './config.js';
import type { Logger } from './logger-types.js';

export function createSigner(_config: Config, _log: Logger): RequestSigner {
  return {
    signManifest() {
      return Promise.reject(new AppError('SIGN_NO_KEYSTORE'));
    },
  };
}
