/**
 * CMS SignedData (RFC 5652), detached: signing with a keystore's key and verifying.
 *
 * Signed attributes: content-type (id-data), message-digest (SHA-256 of the data) and signing-time;
 * the signer's certificate and the keystore's chain are included. RSA (PKCS#1 v1.5) with SHA-256 and
 * ECDSA P-256 with SHA-256. The CMS structure is built and parsed with pkijs; the signature itself is
 * made by WebCrypto with the non-extractable key and checked by Node's crypto.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import { buildPath, Cert, loadCerts, type SignerSummary } from './certs.js';
import { bytesEqual, octets, parseDer, toArrayBuffer } from './der.js';
import { isGostOid } from './gost.js';
import { OID } from './oids.js';
import { privateKeyOf, type Keystore } from './pkcs12.js';


const DIGESTS: Record<string, string> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

function timeValue(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  // RFC 5652 11.3: UTCTime for 1950..2049, GeneralizedTime otherwise; whole seconds.
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  const y = whole.getUTCFullYear();
  return y >= 1950 && y < 2050 ? new asn1js.UTCTime({ valueDate: whole }) : new asn1js.GeneralizedTime({ valueDate: whole });
}

/** Sorts a SET OF by the DER encodings of its members, as DER requires (and OpenSSL re-encodes). */
function derSorted(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const enc = (a: pkijs.Attribute) => Buffer.from(a.toSchema().toBER());
  return [...attrs].sort((a, b) => Buffer.compare(enc(a), enc(b)));
}

/** Makes a detached CMS SignedData over `data`; returns its DER. */
export async function signDetached(data: Uint8Array, keystore: Keystore, opts: { signingTime: Date }): Promise<Uint8Array> {
  const key = privateKeyOf(keystore);
  const cert = keystore.certificate.pkijs;
  const digest = createHash('sha256').update(data).digest();
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: derSorted([
            new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
            new pkijs.Attribute({ type: OID.signingTime, values: [timeValue(opts.signingTime)] }),
            new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })] }),
          ]),
        }),
      }),
    ],
    certificates: [cert, ...keystore.chain.map((c) => c.pkijs)],
  });
  await signed.sign(key, 0, 'SHA-256');
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: signed.toSchema(true) });
  return new Uint8Array(ci.toSchema().toBER());
}

/** A parsed SignedData with its first signer located. */
export interface ParsedSignature {
  signed: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  signerCert: Cert;
  certificates: Cert[];
  signingTime: Date | null;
}

const malformed = (detail: string, cause?: unknown) => new AppError('SIGN_VERIFY_MALFORMED', {}, { detail, cause });
const badSignature = (detail: string) => new AppError('SIGN_VERIFY_BAD_SIGNATURE', {}, { detail });

function attrValue(si: pkijs.SignerInfo, oid: string): asn1js.AsnType | undefined {
  return si.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0] as asn1js.AsnType | undefined;
}

/** Parses a CMS SignedData (DER) and finds the signer's certificate among the ones it carries. */
export function parseSignature(cms: Uint8Array): ParsedSignature {
  const parsed = parseDer(cms);
  if (!parsed) throw malformed('not DER');
  let signed: pkijs.SignedData;
  try {
    const ci = new pkijs.ContentInfo({ schema: parsed });
    if (ci.contentType !== OID.signedData) throw new Error(`content type ${ci.contentType}`);
    signed = new pkijs.SignedData({ schema: ci.content });
  } catch (e) {
    throw malformed('not a SignedData', e);
  }
  const signerInfo = signed.signerInfos[0];
  if (!signerInfo || signed.signerInfos.length !== 1) throw malformed('expected exactly one signer');
  const certificates: Cert[] = [];
  for (const c of signed.certificates ?? []) {
    if (c instanceof pkijs.Certificate) {
      const cert = Cert.tryParse(new Uint8Array(c.toSchema().toBER()));
      if (cert) certificates.push(cert);
    }
  }
  let signerCert: Cert | undefined;
  if (signerInfo.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = signerInfo.sid;
    signerCert = certificates.find((c) => c.pkijs.issuer.isEqual(sid.issuer) && c.pkijs.serialNumber.isEqual(sid.serialNumber));
  } else {
    const skid = octets(signerInfo.sid as asn1js.OctetString);
    signerCert = certificates.find((c) => {
      const ext = c.pkijs.extensions?.find((e) => e.extnID === OID.subjectKeyIdentifier);
      return ext && bytesEqual(octets(ext.parsedValue as asn1js.OctetString), skid);
    });
  }
  if (!signerCert) throw malformed('signer certificate not included');
  const st = attrValue(signerInfo, OID.signingTime) as asn1js.UTCTime | asn1js.GeneralizedTime | undefined;
  const signingTime = st && 'toDate' in st ? st.toDate() : null;
  return { signed, signerInfo, signerCert, certificates, signingTime };
}

/** Checks the message digest and the signature of the (only) signer over `data`. */
export function checkSignatureValue(data: Uint8Array, p: ParsedSignature): void {
  const { signerInfo, signerCert, signed } = p;
  if (signerCert.isGost || isGostOid(signerInfo.digestAlgorithm.algorithmId)) throw new AppError('SIGN_GOST_NEEDS_NCALAYER');
  const hashName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!hashName) throw badSignature(`digest ${signerInfo.digestAlgorithm.algorithmId}`);
  const eContent = signed.encapContentInfo.eContent;
  if (eContent && !bytesEqual(octets(eContent), data)) throw badSignature('encapsulated content differs');
  if (!signerInfo.signedAttrs) throw badSignature('no signed attributes');
  const ct = attrValue(signerInfo, OID.contentType) as asn1js.ObjectIdentifier | undefined;
  if (!ct || ct.valueBlock.toString() !== signed.encapContentInfo.eContentType) throw badSignature('content-type attribute');
  const md = attrValue(signerInfo, OID.messageDigest);
  const digest = createHash(hashName).update(data).digest();
  if (!md || !bytesEqual(octets(md), digest)) throw badSignature('message digest differs');
  // The signature covers the DER of the signed attributes as received, with the SET OF tag.
  const tbs = Buffer.from(signerInfo.signedAttrs.encodedValue);
  tbs[0] = 0x31;
  const publicKey = createPublicKey(new X509Certificate(signerCert.der).publicKey.export({ type: 'spki', format: 'pem' }));
  const sigOid = signerInfo.signatureAlgorithm.algorithmId;
  if (sigOid === OID.rsassaPss) throw badSignature('RSA-PSS not accepted');
  let ok: boolean;
  try {
    ok = cryptoVerify(hashName, tbs, publicKey, Buffer.from(octets(signerInfo.signature)));
  } catch {
    ok = false;
  }
  if (!ok) throw badSignature('signature does not verify');
}

export interface VerifyOptions {
  /** Trust anchors (PEM text, DER, or parsed). */
  trustRoots: Array<Cert | string | Uint8Array>;
  /** Extra intermediate CA certificates, besides those the CMS carries. */
  intermediates?: Array<Cert | string | Uint8Array>;
  /** The time to judge the certificates at when the signature carries no signing-time (default now). */
  at?: Date;
}

export interface VerifyResult {
  signer: SignerSummary;
  signingTime: Date | null;
  /** The path found, leaf first, as certificate subjects' common names (for logs and support). */
  chain: string[];
  /** The same path's certificates, leaf first, ending with the trust anchor. */
  path: Cert[];
}

export const asCerts = (xs: Array<Cert | string | Uint8Array> | undefined): Cert[] =>
  (xs ?? []).flatMap((x) => (x instanceof Cert ? [x] : loadCerts(x)));

/**
 * Verifies a detached CMS signature over `data`: the signature is valid
 * (SIGN_VERIFY_BAD_SIGNATURE), the signer's certificate was valid at the signing time
 * (SIGN_VERIFY_CERT_NOT_VALID_AT_SIGNING_TIME), and a chain to one of the trust roots held at that
 * time (SIGN_VERIFY_UNTRUSTED). Unreadable input: SIGN_VERIFY_MALFORMED.
 */
export async function verifyDetached(data: Uint8Array, cms: Uint8Array, opts: VerifyOptions): Promise<VerifyResult> {
  const p = parseSignature(cms);
  checkSignatureValue(data, p);
  const at = p.signingTime ?? opts.at ?? new Date();
  const leaf = p.signerCert;
  if (at < leaf.notBefore || at > leaf.notAfter) throw new AppError('SIGN_VERIFY_CERT_NOT_VALID_AT_SIGNING_TIME');
  const intermediates = [...p.certificates.filter((c) => c !== leaf), ...asCerts(opts.intermediates)];
  const path = await buildPath(leaf, intermediates, asCerts(opts.trustRoots), at);
  if (!path) throw new AppError('SIGN_VERIFY_UNTRUSTED');
  return { signer: leaf.summary(), signingTime: p.signingTime, chain: path.map((c) => c.summary().subjectCn), path };
}
