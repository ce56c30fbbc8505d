/**
 * Builds the request signer from the configuration: the SignService (src-main/sign) over the
 * configured trust roots and revocation policy, and, for PKCS#12, the operator's key file read at
 * the moment of signing. The password arrives as a string at the boundary (JSON cannot carry
 * anything else); it becomes bytes at once and those are wiped after use. A JS string cannot be
 * wiped: it lives until garbage collection, in this process only, and is never logged.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { RequestSigner } from '../requests/signing.js';
import type { NcaLayerPin, SignConfig, SignService } from '../sign/index.js';
import { ConfigError, type Config } from './config.js';
import type { Logger } from './logger-types.js';
import { readResultProviders } from './result-providers.js';

function readPem(file: string, key: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError('configuration', key, `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export function signConfig(config: Config, ncalayerPin?: NcaLayerPin): SignConfig | null {
  const s = config.signing;
  if (!s.trustRootsFile) return null;
  return {
    provider: s.provider,
    centreBin: config.centre.bin,
    trustRoots: [readPem(s.trustRootsFile, 'signing.trustRootsFile')],
    intermediates: s.intermediatesFile ? [readPem(s.intermediatesFile, 'signing.intermediatesFile')] : [],
    resultProviders: s.resultProvidersFile ? readResultProviders(s.resultProvidersFile) : [],
    revocation: {
      mode: s.revocation.mode,
      ocsp: s.revocation.ocsp,
      cacheDir: join(config.dataDir, 'crl-cache'),
      graceMs: s.revocation.crlGraceHours * 3600_000,
      timeoutMs: s.revocation.timeoutMs,
    },
    ncalayer: {
      url: s.ncalayer.url,
      ...(s.ncalayer.certFile ? { ca: readPem(s.ncalayer.certFile, 'signing.ncalayer.certFile') } : {}),
      ...(ncalayerPin ? { pin: ncalayerPin } : {}),
      locale: config.language,
    },
  };
}

export interface Signing {
  signer: RequestSigner;
  /** The signing service, loaded on first use (the CMS libraries are not needed to start). */
  service(): Promise<SignService | null>;
  /** True when providers' result trust is configured (else results stay unverified). */
  hasResultProviders: boolean;
  /** Opens the configured key with the password and checks its certificate, without signing. */
  keystoreInfo(password: string, operatorIin: string): ReturnType<SignService['keystoreInfo']>;
}

async function readKeystore(config: Config): Promise<Uint8Array> {
  if (!config.signing.keystoreFile) throw new AppError('SIGN_NO_KEYSTORE');
  try {
    return await readFile(config.signing.keystoreFile);
  } catch {
    throw new AppError('SIGN_NO_KEYSTORE');
  }
}

export function createSigner(config: Config, log: Logger, now: () => Date, ncalayerPin?: NcaLayerPin): Signing {
  // Trust files are read now, so a wrong path stops the start with the key named.
  const cfg = signConfig(config, ncalayerPin);
  let loaded: Promise<SignService | null> | null = null;
  const service = () =>
    (loaded ??= cfg ? import('../sign/index.js').then(({ SignService }) => new SignService(cfg, { logger: log, now })) : Promise.resolve(null));
  const signer: RequestSigner = {
    async signManifest(input, password) {
      const svc = await service();
      if (!svc) throw new AppError('SIGN_NO_TRUST_ROOTS');
      let secret: { bytes: Uint8Array; password: Uint8Array } | undefined;
      if (config.signing.provider === 'pkcs12') {
        secret = { bytes: await readKeystore(config), password: new TextEncoder().encode(password) };
      }
      try {
        const signed = await svc.signRequest(input, secret);
        return {
          manifest: Buffer.from(signed.manifest),
          cms: Buffer.from(signed.cms),
          signer: {
            name: signed.signer.subjectCn,
            serial: signed.signer.serial,
            notAfter: signed.signer.notAfter,
            algorithm: signed.algorithm,
            iin: signed.signer.iin,
          },
          signedAt: signed.signingTime,
        };
      } finally {
        secret?.password.fill(0);
        secret?.bytes.fill(0);
      }
    },
  };
  const keystoreInfo: Signing['keystoreInfo'] = async (password, operatorIin) => {
    if (config.signing.provider !== 'pkcs12') throw new AppError('SIGN_NOT_PKCS12');
    const svc = await service();
    if (!svc) throw new AppError('SIGN_NO_TRUST_ROOTS');
    const secret = { bytes: await readKeystore(config), password: new TextEncoder().encode(password) };
    try {
      return await svc.keystoreInfo(secret, operatorIin);
    } finally {
      secret.password.fill(0);
      secret.bytes.fill(0);
    }
  };
  if (config.signing.resultTrustRootsFile && !config.signing.resultProvidersFile) {
    log.warn({ key: 'signing.resultTrustRootsFile' }, 'ignored: results are trusted per provider (signing.resultProvidersFile); until it is set, results stay unverified');
  }
  return { signer, service, keystoreInfo, hasResultProviders: Boolean(cfg?.resultProviders?.length) };
}
