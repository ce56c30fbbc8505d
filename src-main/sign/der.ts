/** Small byte helpers shared by the signing module: PEM/DER, ASN.1 OCTET STRING contents. */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { webcrypto } from 'node:crypto';

// pkijs does its cryptography through WebCrypto; give it Node's explicitly (Electron's main process
// has the same object) rather than relying on a global.
pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }));

/** A fresh ArrayBuffer holding exactly these bytes (pkijs/asn1js want ArrayBuffers). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/** Every PEM block of the given label in `text`, as DER. */
export function pemBlocks(text: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  const out: Uint8Array[] = [];
  for (const m of text.matchAll(re)) out.push(new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')));
  return out;
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** Parses DER strictly: the whole input must be one ASN.1 value. Returns null when it is not. */
export function parseDer(bytes: Uint8Array): asn1js.AsnType | null {
  const ab = toArrayBuffer(bytes);
  const parsed = asn1js.fromBER(ab);
  if (parsed.offset === -1 || parsed.offset !== ab.byteLength) return null;
  return parsed.result;
}

/** The contents of an OCTET STRING (or an implicitly tagged one), primitive or constructed (BER). */
export function octets(block: asn1js.AsnType): Uint8Array {
  const b = block as asn1js.BaseBlock & { valueBlock: { valueHexView?: Uint8Array; value?: asn1js.AsnType[] } };
  if (b.idBlock.isConstructed) {
    const parts = (b.valueBlock.value ?? []).map(octets);
    return new Uint8Array(Buffer.concat(parts));
  }
  return new Uint8Array(b.valueBlock.valueHexView ?? new Uint8Array(0));
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));
}
