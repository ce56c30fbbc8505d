/**
 * Tiny PKCS#12 files that carry GOST object identifiers, built with asn1js/pkijs (no GOST
 * implementation exists here to make real ones). They exercise detection only: the module must
 * recognise GOST and send the operator to NCALayer instead of failing obscurely.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { randomBytes } from 'node:crypto';

const DATA = '1.2.840.113549.1.7.1';
/** GOST 34.310-2004 key (Kazakhstan, NCA RK). */
export const KZ_GOST_KEY_OID = '1.2.398.3.10.1.1.1.1';
/** GOST 34.311-95 hash (Kazakhstan). */
export const KZ_GOST_HASH_OID = '1.2.398.3.10.1.3.1';
/** GOST R 34.10-2012 256-bit key (Russia). */
export const RU_GOST_KEY_OID = '1.2.643.7.1.1.1.1';

const ab = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function pfxWith(bags: pkijs.SafeBag[], mac?: pkijs.MacData): Uint8Array {
  const safeContents = new pkijs.SafeContents({ safeBags: bags });
  const authSafe = new pkijs.AuthenticatedSafe({
    safeContents: [new pkijs.ContentInfo({ contentType: DATA, content: new asn1js.OctetString({ valueHex: safeContents.toSchema().toBER() }) })],
  });
  const pfx = new pkijs.PFX({
    version: 3,
    authSafe: new pkijs.ContentInfo({ contentType: DATA, content: new asn1js.OctetString({ valueHex: authSafe.toSchema().toBER() }) }),
    ...(mac ? { macData: mac } : {}),
  });
  return new Uint8Array(pfx.toSchema().toBER());
}

/** A keystore whose (unencrypted) key bag holds a key of the given GOST algorithm. */
export function gostKeyP12(keyOid = KZ_GOST_KEY_OID): Uint8Array {
  const key = new pkijs.PrivateKeyInfo({
    version: 0,
    privateKeyAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: keyOid, algorithmParams: new asn1js.Null() }),
    privateKey: new asn1js.OctetString({ valueHex: ab(randomBytes(32)) }),
  });
  return pfxWith([new pkijs.SafeBag({ bagId: '1.2.840.113549.1.12.10.1.1', bagValue: key })]);
}

/** A keystore whose integrity MAC uses the GOST 34.311 hash (as Kalkan-made files may). */
export function gostMacP12(): Uint8Array {
  const mac = new pkijs.MacData({
    mac: new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: KZ_GOST_HASH_OID }),
      digest: new asn1js.OctetString({ valueHex: ab(randomBytes(32)) }),
    }),
    macSalt: new asn1js.OctetString({ valueHex: ab(randomBytes(8)) }),
    iterations: 2048,
  });
  return pfxWith([], mac);
}
