/**
 * Revocation of the operator's certificate: OCSP when online, CRLs cached on disk.
 *
 * - OCSP (when `mode` is 'online' and `ocsp` is on): one request to the certificate's OCSP URL with a
 *   nonce; the response must be signed by the issuing CA or by a responder it delegated
 *   (id-kp-OCSPSigning), be fresh, and answer for this certificate. "good" or "revoked" settles it;
 *   anything else falls back to the CRL.
 * - CRL: the cached copy (`<cacheDir>/<sha256(url)>.crl`, DER) is used while now < nextUpdate.
 *   Past that, when online, a new one is fetched, checked, and replaces the cache. When no fresh CRL
 *   can be had (offline, or the fetch failed), the cached one still counts until
 *   nextUpdate + graceMs; after that the status is unknown (SIGN_CERT_REVOCATION_UNKNOWN).
 * Every CRL (fetched or cached) is checked against the issuer's key before it is believed.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash, createPublicKey, randomBytes, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { silentLogger, type Logger } from '../host/logger-types.js';
import { Cert } from './certs.js';
import { bytesEqual, octets, parseDer, toArrayBuffer } from './der.js';
import { httpFetch } from './http.js';
import { OID } from './oids.js';

export interface RevocationPolicy {
  /** 'offline': never touch the network, judge by the CRL cache alone. */
  mode: 'online' | 'offline';
  /** Ask the OCSP responder first when online. */
  ocsp: boolean;
  /** Where downloaded CRLs are kept between runs. */
  cacheDir: string;
  /** How long after a cached CRL's nextUpdate it still counts when no fresh one can be had. */
  graceMs: number;
  /** Timeout of one HTTP exchange (CRL download or OCSP request). */
  timeoutMs: number;
}

export type RevocationSource = 'ocsp' | 'crl' | 'crl-cache' | 'crl-grace';
export interface RevocationResult {
  status: 'good' | 'revoked';
  source: RevocationSource;
}

const CLOCK_SKEW_MS = 5 * 60 * 1000;
const OCSP_MAX_AGE_MS = 60 * 60 * 1000;

const SIG_HASH: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** Verifies a signature over `tbs` made by `signer`'s key (CRLs, OCSP responses). */
function signedBy(tbs: Uint8Array, sigAlgOid: string, signature: asn1js.BitString, signer: Cert): boolean {
  const hash = SIG_HASH[sigAlgOid];
  if (!hash) return false;
  try {
    const key = createPublicKey(new X509Certificate(signer.der).publicKey.export({ type: 'spki', format: 'pem' }));
    return cryptoVerify(hash, tbs, key, Buffer.from(signature.valueBlock.valueHexView));
  } catch {
    return false;
  }
}

interface Crl {
  der: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revokedSerials: Set<string>;
}

function serialKey(i: asn1js.Integer): string {
  return Buffer.from(i.valueBlock.valueHexView).toString('hex').replace(/^(00)+(?=.)/, '');
}

/** Parses a CRL and checks it was issued and signed by `issuer`; null when it was not. */
function readCrl(der: Uint8Array, issuer: Cert): Crl | null {
  const asn = parseDer(der);
  if (!asn) return null;
  try {
    const crl = new pkijs.CertificateRevocationList({ schema: asn });
    if (!crl.issuer.isEqual(issuer.pkijs.subject)) return null;
    if (!signedBy(crl.tbsView, crl.signatureAlgorithm.algorithmId, crl.signatureValue, issuer)) return null;
    return {
      der,
      thisUpdate: crl.thisUpdate.value,
      nextUpdate: crl.nextUpdate?.value ?? null,
      revokedSerials: new Set((crl.revokedCertificates ?? []).map((r) => serialKey(r.userCertificate))),
    };
  } catch {
    return null;
  }
}

function crlCachePath(cacheDir: string, url: string): string {
  return join(cacheDir, `${createHash('sha256').update(url).digest('hex')}.crl`);
}

/**
 * Puts a CRL (DER) into the cache as if it had been downloaded from `url`: for an administrator who
 * brings the CRL on a USB stick to a Centre that is offline. It is checked against the issuer's key
 * when it is read, like any cached CRL.
 */
export async function storeCrl(cacheDir: string, url: string, der: Uint8Array): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = crlCachePath(cacheDir, url);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.part`;
  await writeFile(tmp, der);
  await rename(tmp, path);
}

export class RevocationChecker {
  constructor(
    private readonly policy: RevocationPolicy,
    private readonly log: Logger = silentLogger,
  ) {}

  /** Throws SIGN_CERT_REVOCATION_UNKNOWN when no source can answer. */
  async check(cert: Cert, issuer: Cert, now: Date): Promise<RevocationResult> {
    if (this.policy.mode === 'online' && this.policy.ocsp) {
      for (const url of cert.ocspUrls) {
        try {
          const status = await this.ocsp(url, cert, issuer, now);
          if (status) return { status, source: 'ocsp' };
        } catch (e) {
          this.log.warn({ err: (e as Error).message }, 'OCSP request failed; falling back to the CRL');
        }
      }
    }
    for (const url of cert.crlUrls) {
      const r = await this.crl(url, cert, issuer, now);
      if (r) return r;
    }
    throw new AppError('SIGN_CERT_REVOCATION_UNKNOWN', {}, { retryable: true });
  }

  private cachePath(url: string): string {
    return crlCachePath(this.policy.cacheDir, url);
  }

  private async readCache(url: string, issuer: Cert): Promise<Crl | null> {
    try {
      return readCrl(new Uint8Array(await readFile(this.cachePath(url))), issuer);
    } catch {
      return null;
    }
  }

  private async writeCache(url: string, crl: Crl): Promise<void> {
    await storeCrl(this.policy.cacheDir, url, crl.der);
  }

  private async crl(url: string, cert: Cert, issuer: Cert, now: Date): Promise<RevocationResult | null> {
    const t = now.getTime();
    const fresh = (c: Crl) => c.nextUpdate !== null && t < c.nextUpdate.getTime() && c.thisUpdate.getTime() <= t + CLOCK_SKEW_MS;
    const judge = (c: Crl, source: RevocationSource): RevocationResult => ({
      status: c.revokedSerials.has(cert.serialHex) ? 'revoked' : 'good',
      source,
    });

    let cached = await this.readCache(url, issuer);
    if (cached && fresh(cached)) return judge(cached, 'crl-cache');

    if (this.policy.mode === 'online') {
      try {
        const der = await httpFetch(url, { timeoutMs: this.policy.timeoutMs });
        const got = readCrl(der, issuer);
        if (!got) throw new Error('CRL not signed by the issuer');
        if (!cached || got.thisUpdate >= cached.thisUpdate) {
          await this.writeCache(url, got);
          cached = got;
        }
        if (fresh(got)) return judge(got, 'crl');
      } catch (e) {
        this.log.warn({ err: (e as Error).message }, 'CRL download failed');
      }
    }
    if (cached && cached.thisUpdate.getTime() <= t + CLOCK_SKEW_MS) {
      const until = (cached.nextUpdate ?? cached.thisUpdate).getTime() + this.policy.graceMs;
      if (t < until) {
        this.log.warn({ graceUntil: new Date(until).toISOString() }, 'using a stale CRL within the grace period');
        return judge(cached, 'crl-grace');
      }
    }
    return null;
  }

  private async ocsp(url: string, cert: Cert, issuer: Cert, now: Date): Promise<'good' | 'revoked' | null> {
    const req = new pkijs.OCSPRequest();
    await req.createForCertificate(cert.pkijs, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer.pkijs });
    const nonce = randomBytes(16);
    req.tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OID.ocspNonce,
        extnValue: new asn1js.OctetString({ valueHex: toArrayBuffer(nonce) }).toBER(false),
      }),
    ];
    const body = new Uint8Array(req.toSchema(true).toBER(false));
    const resDer = await httpFetch(url, { method: 'POST', body, contentType: 'application/ocsp-request', timeoutMs: this.policy.timeoutMs });
    const asn = parseDer(resDer);
    if (!asn) throw new Error('OCSP response is not DER');
    const res = new pkijs.OCSPResponse({ schema: asn });
    if (res.responseStatus.valueBlock.valueDec !== 0 || !res.responseBytes) throw new Error('OCSP responder refused');
    if (res.responseBytes.responseType !== OID.ocspBasic) throw new Error('OCSP response type');
    const basic = pkijs.BasicOCSPResponse.fromBER(toArrayBuffer(octets(res.responseBytes.response)));
    const data = basic.tbsResponseData;

    // Who signed: the issuer itself, or a responder certificate the issuer delegated.
    const candidates: Cert[] = [issuer];
    for (const c of basic.certs ?? []) {
      const rc = Cert.tryParse(new Uint8Array(c.toSchema().toBER()));
      if (!rc) continue;
      const ekuExt = rc.pkijs.extensions?.find((e) => e.extnID === OID.extKeyUsage);
      const eku = (ekuExt?.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [];
      if (eku.includes(OID.kpOcspSigning) && (await rc.isSignedBy(issuer)) && rc.notBefore <= now && now <= rc.notAfter) candidates.push(rc);
    }
    const signer = candidates.find((c) => signedBy(data.tbsView, basic.signatureAlgorithm.algorithmId, basic.signature, c));
    if (!signer) throw new Error('OCSP response not signed by the issuer or its responder');

    const nonceExt = data.responseExtensions?.find((e) => e.extnID === OID.ocspNonce);
    if (nonceExt) {
      const inner = parseDer(nonceExt.extnValue.valueBlock.valueHexView);
      const got = inner ? octets(inner) : nonceExt.extnValue.valueBlock.valueHexView;
      if (!bytesEqual(got, nonce)) throw new Error('OCSP nonce mismatch');
    }

    const certId = req.tbsRequest.requestList[0]?.reqCert;
    const single = data.responses.find((r) => certId && r.certID.isEqual(certId));
    if (!single) throw new Error('OCSP response is about another certificate');
    const t = now.getTime();
    if (single.thisUpdate.getTime() > t + CLOCK_SKEW_MS) throw new Error('OCSP response from the future');
    if (single.nextUpdate && single.nextUpdate.getTime() < t - CLOCK_SKEW_MS) throw new Error('OCSP response is stale');
    // Without nextUpdate the responder claims to be always current: accept only a recent answer.
    if (!single.nextUpdate && single.thisUpdate.getTime() < t - OCSP_MAX_AGE_MS) throw new Error('OCSP response is old');
    const tag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
    return tag === 0 ? 'good' : tag === 1 ? 'revoked' : null;
  }
}
