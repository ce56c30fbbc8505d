/**
 * SignService: the one object the host wires. It signs a request's manifest with the provider the
 * settings chose (a PKCS#12 file opened here, or NCALayer), checks the signer's certificate, and
 * verifies provider-signed results. Key material never leaves this module; passwords arrive as
 * bytes and are wiped; nothing secret or personal is logged (ids, codes and sources only).
 */
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { Cert } from './certs.js';
import { checkSignerCertificate, type CheckContext, type CheckResult } from './check.js';
import { asCerts, checkSignatureValue, parseSignature, signDetached, verifyDetached } from './cms.js';
import { canonicalManifest, type ManifestInput } from './manifest.js';
import { NcaLayerClient, type NcaLayerOptions } from './ncalayer.js';
import { OID } from './oids.js';
import { openPkcs12 } from './pkcs12.js';
import { verifyProviderResult, type ResultProvider, type ResultVerification } from './result-trust.js';
import type { RevocationPolicy } from './revocation.js';

export type SignProvider = 'pkcs12' | 'ncalayer';

export interface SignConfig {
  provider: SignProvider;
  /** The Centre's BIN: the signer's certificate must carry it. */
  centreBin: string;
  /** Trust anchors for operators' certificates (PEM text or DER). */
  trustRoots: Array<string | Uint8Array>;
  intermediates?: Array<string | Uint8Array>;
  /** Each provider's own trust roots and expected signer, for provider-signed results (result-trust.ts). */
  resultProviders?: ResultProvider[];
  revocation: RevocationPolicy;
  ncalayer?: NcaLayerOptions;
}

export interface SignServiceDeps {
  logger: Logger;
  now: () => Date;
  /** Injected in tests; built from config.ncalayer otherwise. */
  ncalayer?: NcaLayerClient;
}

/** What the UI may show about the signer (shown to the operator, never logged). */
export interface SignerInfo {
  subjectCn: string;
  serial: string;
  iin: string | null;
  bin: string | null;
  notAfter: string;
}

export interface SignedRequest {
  /** DER CMS SignedData, detached. */
  cms: Uint8Array;
  /** The exact bytes signed (RFC 8785 JSON): send these. */
  manifest: Uint8Array;
  signer: SignerInfo;
  signingTime: string;
  provider: SignProvider;
  /** The signature algorithm, for the operator's view of the signature. */
  algorithm: string;
}

export type ManifestToSign = Omit<ManifestInput, 'times'> & { createdAt: string };

export interface KeystoreSecret {
  /** The .p12 file's bytes. */
  bytes: Uint8Array;
  /** UTF-8 password bytes; zeroed once used. */
  password: Uint8Array;
}

const signerInfo = (c: Cert): SignerInfo => {
  const s = c.summary();
  return { subjectCn: s.subjectCn, serial: s.serial, iin: s.iin, bin: s.bin, notAfter: s.notAfter };
};

export class SignService {
  private ncalayerClient: NcaLayerClient | undefined;

  constructor(
    private readonly config: SignConfig,
    private readonly deps: SignServiceDeps,
  ) {
    this.ncalayerClient = deps.ncalayer;
  }

  get provider(): SignProvider {
    return this.config.provider;
  }

  private checkContext(operatorIin: string, extraIntermediates: Cert[]): CheckContext {
    return {
      operatorIin,
      centreBin: this.config.centreBin,
      trustRoots: this.config.trustRoots,
      intermediates: [...asCerts(this.config.intermediates), ...extraIntermediates],
      now: this.deps.now,
      revocation: this.config.revocation,
      logger: this.deps.logger,
    };
  }

  /**
   * Opens a keystore and runs every check on its certificate, without signing: lets the UI show
   * whose key it is and what is wrong with it before the operator commits to a request.
   */
  async keystoreInfo(secret: KeystoreSecret, operatorIin: string): Promise<{ signer: SignerInfo; revocation: CheckResult['revocation']['source'] }> {
    const ks = await openPkcs12(secret.bytes, secret.password);
    try {
      const res = await checkSignerCertificate(ks.certificate, this.checkContext(operatorIin, ks.chain));
      return { signer: signerInfo(ks.certificate), revocation: res.revocation.source };
    } finally {
      ks.close();
    }
  }

  /**
   * Signs the request's manifest. The signing time (and the manifest's times.signedAt) is now().
   * With 'pkcs12' the keystore secret is required; with 'ncalayer' it is ignored.
   */
  async signRequest(input: ManifestToSign, secret?: KeystoreSecret): Promise<SignedRequest> {
    const log = this.deps.logger.child({ requestId: input.requestId, provider: this.config.provider });
    if (input.centre.bin !== this.config.centreBin) {
      secret?.password.fill(0);
      throw new AppError('SIGN_MANIFEST_INVALID', { field: 'centre.bin' });
    }
    const signedAt = new Date(Math.floor(this.deps.now().getTime() / 1000) * 1000);
    const { createdAt, ...rest } = input;
    const manifest = canonicalManifest({ ...rest, times: { createdAt, signedAt: signedAt.toISOString() } });
    const operatorIin = input.operator.iin;

    let cms: Uint8Array;
    let signerCert: Cert;
    let algorithm: string;
    if (this.config.provider === 'pkcs12') {
      if (!secret) throw new AppError('SIGN_KEYSTORE_NO_KEY');
      const ks = await openPkcs12(secret.bytes, secret.password);
      try {
        await checkSignerCertificate(ks.certificate, this.checkContext(operatorIin, ks.chain));
        cms = await signDetached(manifest, ks, { signingTime: signedAt });
        signerCert = ks.certificate;
        algorithm = ks.algorithm;
      } finally {
        ks.close();
      }
      // What we send must verify: a cheap guard against a broken signature leaving the workstation.
      await verifyDetached(manifest, cms, { trustRoots: this.config.trustRoots, intermediates: this.config.intermediates, at: signedAt });
    } else {
      secret?.password.fill(0);
      const client = (this.ncalayerClient ??= new NcaLayerClient({ ...this.config.ncalayer, logger: log }));
      cms = await client.signCms(manifest, { iin: operatorIin, bin: this.config.centreBin });
      const parsed = parseSignature(cms);
      signerCert = parsed.signerCert;
      algorithm = signerCert.isGost ? 'GOST-34.310' : signerCert.spkiAlgorithm === OID.ecPublicKey ? 'ECDSA-P256-SHA256' : 'RSA-SHA256';
      const others = parsed.certificates.filter((c) => c !== signerCert);
      if (signerCert.isGost) {
        // Node cannot check GOST signatures or GOST chains: NCALayer has checked the key; we check
        // what we can read (validity, key usage, IIN, BIN). See docs/signing.md, "Limits".
        await this.checkGostFields(signerCert, operatorIin);
      } else {
        checkSignatureValue(manifest, parsed);
        await checkSignerCertificate(signerCert, this.checkContext(operatorIin, others));
      }
    }
    log.info({ serial: signerCert.serialHex, bytes: manifest.byteLength }, 'request signed');
    return { cms, manifest, signer: signerInfo(signerCert), signingTime: signedAt.toISOString(), provider: this.config.provider, algorithm };
  }

  private async checkGostFields(cert: Cert, operatorIin: string): Promise<void> {
    const now = this.deps.now();
    if (now < cert.notBefore) throw new AppError('SIGN_CERT_NOT_YET_VALID', { notBefore: cert.notBefore.toISOString() });
    if (now > cert.notAfter) throw new AppError('SIGN_CERT_EXPIRED', { notAfter: cert.notAfter.toISOString() });
    const ku = cert.keyUsage;
    if (!ku || !ku.has('digitalSignature') || !ku.has('nonRepudiation')) throw new AppError('SIGN_CERT_KEY_USAGE');
    if (cert.iin !== operatorIin) throw new AppError('SIGN_CERT_IIN_MISMATCH');
    if (cert.bin !== this.config.centreBin) throw new AppError('SIGN_CERT_BIN_MISMATCH');
    await Promise.resolve();
  }

  /**
   * Verifies a provider-signed result (e.g. the PDF) before it is shown as ready, against the
   * trust roots and expected signer of the provider of `serviceId` only (result-trust.ts), the
   * signer's certificate and the path's intermediates checked for revocation. Certificates are
   * judged at the CMS signing time; without one, at `opts.at` (the sync engine passes the server's
   * decision time, so the workstation's clock does not judge the server's document), else now.
   */
  async verifyResult(data: Uint8Array, cms: Uint8Array, opts: { serviceId: string; at?: Date }): Promise<ResultVerification> {
    return verifyProviderResult(
      data,
      cms,
      opts.serviceId,
      { providers: this.config.resultProviders ?? [], revocation: this.config.revocation, now: this.deps.now, logger: this.deps.logger },
      { at: opts.at ?? this.deps.now() },
    );
  }
}
