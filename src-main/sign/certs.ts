/**
 * Reading X.509 certificates: the fields the checks and the UI need, and a small path builder.
 * Parsing is pkijs; signature checks go through pkijs on Node's WebCrypto.
 */
import type * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { X509Certificate } from 'node:crypto';
import { bytesEqual, hex, octets, parseDer, pemBlocks, toArrayBuffer } from './der.js';
import { isGostOid } from './gost.js';
import { OID } from './oids.js';

/** What the UI may show about a signer (personal data: shown, never logged). */
export interface SignerSummary {
  subjectCn: string;
  organisation: string | null;
  /** Certificate serial number, lower-case hex. */
  serial: string;
  /** The holder's IIN from subject serialNumber "IIN…", if present. */
  iin: string | null;
  /** The organisation's BIN from an OU "BIN…", if present. */
  bin: string | null;
  issuerCn: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: 'RSA' | 'EC' | 'GOST' | 'other';
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';
const KEY_USAGE_BITS: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** A parsed certificate with its DER kept beside it. */
export class Cert {
  readonly pkijs: pkijs.Certificate;
  constructor(readonly der: Uint8Array) {
    this.pkijs = pkijs.Certificate.fromBER(toArrayBuffer(der));
  }

  static tryParse(der: Uint8Array): Cert | null {
    if (!parseDer(der)) return null;
    try {
      return new Cert(der);
    } catch {
      return null;
    }
  }

  get notBefore(): Date {
    return this.pkijs.notBefore.value;
  }
  get notAfter(): Date {
    return this.pkijs.notAfter.value;
  }
  get serialHex(): string {
    return hex(this.pkijs.serialNumber.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '');
  }
  get subjectDer(): Uint8Array {
    return new Uint8Array(this.pkijs.subject.toSchema().toBER());
  }
  get issuerDer(): Uint8Array {
    return new Uint8Array(this.pkijs.issuer.toSchema().toBER());
  }
  get spkiAlgorithm(): string {
    return this.pkijs.subjectPublicKeyInfo.algorithm.algorithmId;
  }
  get isGost(): boolean {
    return isGostOid(this.spkiAlgorithm) || isGostOid(this.pkijs.signatureAlgorithm.algorithmId);
  }

  subjectAttrs(oid: string): string[] {
    return attrs(this.pkijs.subject, oid);
  }

  get iin(): string | null {
    const m = this.subjectAttrs(OID.serialNumber)
      .map((v) => /^IIN(\d{12})$/.exec(v.trim()))
      .find(Boolean);
    return m?.[1] ?? null;
  }
  get bin(): string | null {
    const m = this.subjectAttrs(OID.organisationalUnit)
      .map((v) => /^BIN(\d{12})$/.exec(v.trim()))
      .find(Boolean);
    return m?.[1] ?? null;
  }

  private extension(oid: string): pkijs.Extension | undefined {
    return this.pkijs.extensions?.find((e) => e.extnID === oid);
  }

  /** The key usages set, or null when the certificate has no keyUsage extension. */
  get keyUsage(): Set<KeyUsageName> | null {
    const ext = this.extension(OID.keyUsage);
    if (!ext) return null;
    const bits = ext.parsedValue as asn1js.BitString;
    const bytes = bits.valueBlock.valueHexView;
    const set = new Set<KeyUsageName>();
    KEY_USAGE_BITS.forEach((name, i) => {
      const byte = bytes[i >> 3] ?? 0;
      if (byte & (0x80 >> (i & 7))) set.add(name);
    });
    return set;
  }

  /** The extended key usage OIDs, or null when the certificate has no such extension. */
  get extendedKeyUsage(): string[] | null {
    const ext = this.extension(OID.extKeyUsage);
    if (!ext) return null;
    return [...((ext.parsedValue as pkijs.ExtKeyUsage | undefined)?.keyPurposes ?? [])];
  }

  /** The certificate policy OIDs (empty when the certificate has no policies extension). */
  get policies(): string[] {
    const ext = this.extension(OID.certificatePolicies);
    return ((ext?.parsedValue as pkijs.CertificatePolicies | undefined)?.certificatePolicies ?? []).map((p) => p.policyIdentifier);
  }

  get isCa(): boolean {
    const ext = this.extension(OID.basicConstraints);
    return !!(ext?.parsedValue as pkijs.BasicConstraints | undefined)?.cA;
  }

  /** HTTP(S) URLs of the CRL distribution points. */
  get crlUrls(): string[] {
    const ext = this.extension(OID.crlDistributionPoints);
    const dps = (ext?.parsedValue as pkijs.CRLDistributionPoints | undefined)?.distributionPoints ?? [];
    const out: string[] = [];
    for (const dp of dps) {
      const names = Array.isArray(dp.distributionPoint) ? dp.distributionPoint : [];
      for (const n of names) if (n.type === 6 && typeof n.value === 'string' && /^https?:/i.test(n.value)) out.push(n.value);
    }
    return out;
  }

  /** HTTP URLs of OCSP responders from the authority information access extension. */
  get ocspUrls(): string[] {
    const ext = this.extension(OID.authorityInfoAccess);
    const descs = (ext?.parsedValue as pkijs.InfoAccess | undefined)?.accessDescriptions ?? [];
    return descs
      .filter((d) => d.accessMethod === OID.accessOcsp && d.accessLocation.type === 6)
      .map((d) => String(d.accessLocation.value))
      .filter((u) => /^https?:/i.test(u));
  }

  /** True when `issuer`'s key verifies this certificate's signature. */
  async isSignedBy(issuer: Cert): Promise<boolean> {
    if (this.isGost || issuer.isGost) return false;
    try {
      return await this.pkijs.verify(issuer.pkijs);
    } catch {
      return false;
    }
  }

  /** The SubjectPublicKeyInfo DER as Node encodes it (for comparing keys). */
  spkiDer(): Uint8Array {
    return new Uint8Array(new X509Certificate(this.der).publicKey.export({ type: 'spki', format: 'der' }));
  }

  summary(): SignerSummary {
    const alg = this.spkiAlgorithm;
    return {
      subjectCn: this.subjectAttrs(OID.commonName)[0] ?? '',
      organisation: this.subjectAttrs(OID.organisation)[0] ?? null,
      serial: this.serialHex,
      iin: this.iin,
      bin: this.bin,
      issuerCn: attrs(this.pkijs.issuer, OID.commonName)[0] ?? '',
      notBefore: this.notBefore.toISOString(),
      notAfter: this.notAfter.toISOString(),
      keyAlgorithm: isGostOid(alg)
        ? 'GOST'
        : alg === OID.rsaEncryption
          ? 'RSA'
          : alg === OID.ecPublicKey
            ? 'EC'
            : 'other',
    };
  }
}

function attrs(name: pkijs.RelativeDistinguishedNames, oid: string): string[] {
  return name.typesAndValues
    .filter((tv) => tv.type === oid)
    .map((tv) => {
      const v = tv.value as asn1js.AsnType & { getValue?: () => unknown };
      const s = typeof v.getValue === 'function' ? v.getValue() : undefined;
      return typeof s === 'string' ? s : Buffer.from(octets(v)).toString('utf8');
    });
}

/** Certificates from PEM text (one or many) or DER bytes. */
export function loadCerts(input: string | Uint8Array | Array<string | Uint8Array>): Cert[] {
  const items = Array.isArray(input) ? input : [input];
  const out: Cert[] = [];
  for (const item of items) {
    const text = typeof item === 'string' ? item : Buffer.from(item).toString('latin1');
    const ders = text.includes('-----BEGIN') ? pemBlocks(text) : typeof item === 'string' ? [] : [item];
    for (const der of ders) {
      const c = Cert.tryParse(der);
      if (!c) throw new Error('not a certificate');
      out.push(c);
    }
  }
  return out;
}

export function sameCert(a: Cert, b: Cert): boolean {
  return bytesEqual(a.der, b.der);
}

function validAt(c: Cert, at: Date): boolean {
  return c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime();
}

/**
 * Builds a path from `leaf` to one of `roots` through `intermediates`, every certificate valid at
 * `at`, every issuer a CA allowed to sign certificates whose key verifies the child's signature.
 * Returns the path leaf-first (ending with the trust anchor), or null when none holds.
 */
export async function buildPath(leaf: Cert, intermediates: Cert[], roots: Cert[], at: Date, maxDepth = 6): Promise<Cert[] | null> {
  const issuerOk = (c: Cert): boolean => {
    const ku = c.keyUsage;
    return c.isCa && (ku === null || ku.has('keyCertSign')) && validAt(c, at);
  };
  const walk = async (cert: Cert, path: Cert[]): Promise<Cert[] | null> => {
    if (roots.some((r) => sameCert(r, cert))) return path;
    if (path.length > maxDepth) return null;
    for (const root of roots) {
      if (bytesEqual(root.subjectDer, cert.issuerDer) && issuerOk(root) && (await cert.isSignedBy(root))) return [...path, root];
    }
    for (const ca of intermediates) {
      if (path.some((p) => sameCert(p, ca))) continue;
      if (!bytesEqual(ca.subjectDer, cert.issuerDer) || !issuerOk(ca)) continue;
      if (!(await cert.isSignedBy(ca))) continue;
      const found = await walk(ca, [...path, ca]);
      if (found) return found;
    }
    return null;
  };
  if (!validAt(leaf, at)) return null;
  return walk(leaf, [leaf]);
}
