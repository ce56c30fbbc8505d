/**
 * The workstation's signing set-up as a service: the signer built from the configuration, and the
 * administrator's change of provider (locked when the environment sets it), which writes the
 * per-user file and rebuilds the signer so the change applies at once. The request flow always
 * asks the current signer.
 */
import type { AuditLog } from '../audit/audit-log.js';
import { AppError } from '../contract/errors.js';
import type { SqliteDb } from '../db/cipher.js';
import type { RequestSigner } from '../requests/signing.js';
import type { ResultVerifier } from '../requests/results.js';
import type { Config } from './config.js';
import type { Logger } from './logger-types.js';
import { NcaLayerTrust } from './ncalayer-trust.js';
import { createSigner, type Signing } from './signer.js';
import { writeUserSetting } from './user-settings.js';

type Provider = Config['signing']['provider'];

export class SigningSettings {
  private config: Config;
  private signing: Signing;
  /** Signs with whichever signer is current (or a fixed one given by tests of the request flow). */
  readonly signer: RequestSigner;
  /** NCALayer's TLS certificate as an administrator accepted it (pinned on first use). */
  readonly ncalayer: NcaLayerTrust;

  constructor(
    config: Config,
    private readonly opts: {
      log: Logger;
      now: () => Date;
      /** The per-user configuration file a change is written to. */
      userConfigFile: string;
      /** Where `signing.provider` came from (config.ts loadConfig). */
      providerSource: string | null;
      fixedSigner?: RequestSigner;
      /** Where the accepted NCALayer certificate is kept (meta) and its acceptance audited. */
      db: SqliteDb;
      audit: AuditLog;
    },
  ) {
    this.config = config;
    this.ncalayer = new NcaLayerTrust(opts.db, opts.audit, opts.now, async () => {
      const { NcaLayerClient } = await import('../sign/index.js');
      return new NcaLayerClient({ url: this.config.signing.ncalayer.url, connectTimeoutMs: 3000 }).peerCertificate();
    });
    this.signing = createSigner(config, opts.log, opts.now, this.ncalayer);
    this.signer = opts.fixedSigner ?? { signManifest: (input, password) => this.signing.signer.signManifest(input, password) };
  }

  /** Set when the provider comes from the environment, which the UI cannot change. */
  get lockedBy(): string | null {
    return this.opts.providerSource?.startsWith('environment') ? this.opts.providerSource : null;
  }

  view() {
    const s = this.config.signing;
    return {
      provider: s.provider,
      keystoreConfigured: Boolean(s.keystoreFile),
      trustConfigured: Boolean(s.trustRootsFile),
      ncalayerUrl: s.ncalayer.url,
      providerLockedBy: this.lockedBy,
    };
  }

  setProvider(provider: Provider): void {
    const source = this.lockedBy;
    if (source) throw new AppError('SETTINGS_LOCKED', { source });
    writeUserSetting(this.opts.userConfigFile, 'signing.provider', provider);
    this.config = { ...this.config, signing: { ...this.config.signing, provider } };
    this.signing = createSigner(this.config, this.opts.log, this.opts.now, this.ncalayer);
  }

  /** What NCALayer presents now and what an administrator accepted. */
  async ncalayerCertificate() {
    const s = this.config.signing.ncalayer;
    return { url: s.url, ...(await this.ncalayer.status(Boolean(s.certFile))) };
  }

  /** Opens the operator's key and checks its certificate without signing. */
  keystoreInfo(password: string, operatorIin: string | null) {
    if (!operatorIin) throw new AppError('AUTH_OPERATOR_NO_IIN');
    return this.signing.keystoreInfo(password, operatorIin);
  }

  /**
   * Results are verified with the trust of the provider of the request's service
   * (signing.resultProvidersFile) before they are shown; without one they stay unverified (never
   * shown as ready).
   */
  readonly verifyResult: ResultVerifier = async (pdf, cms, at, serviceId) => {
    const svc = await this.signing.service();
    if (!svc || !this.signing.hasResultProviders) return null;
    const v = await svc.verifyResult(pdf, cms, { at, serviceId });
    return { signerCn: v.signer.subjectCn, signedAt: v.signingTime?.toISOString() ?? null };
  };
}
