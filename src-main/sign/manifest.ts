/**
 * What the operator signs: a canonical manifest of the request, serialised as RFC 8785 (JSON
 * Canonicalization Scheme) UTF-8 bytes. The documents are referenced by SHA-256 and size only, so
 * signing never reads the files again; the bytes signed are exactly the bytes sent with the request.
 *
 * RFC 8785 serialisation is `canonicalize` (by one of the RFC's authors; no dependencies): it sorts
 * keys by UTF-16 code units and writes numbers the ECMAScript way, which is what the RFC specifies.
 */
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '../contract/errors.js';

export const MANIFEST_FORMAT = 'qabyldau.request-manifest/1';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ManifestDocument {
  /** The document slot in the service's list (catalogue id), e.g. "charter". */
  slot: string;
  /** Position within the slot (0-based), for slots that take several files. */
  index: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  size: number;
  mediaType: string;
}

export interface ManifestInput {
  /** Request id in the workstation (not personal data). */
  requestId: string;
  service: { id: string; subService: string | null };
  applicant: { kind: 'iin' | 'bin'; number: string; name: string };
  representative?: {
    iin: string;
    name: string;
    powerOfAttorney: { number: string; date: string; notary?: string | null };
  } | null;
  /** The form data as entered (a JSON object). */
  form: { [key: string]: JsonValue };
  operator: { id: string; iin: string; name: string };
  centre: { code: string; bin: string; name: string };
  /** ISO 8601 UTC instants, e.g. 2026-11-23T09:30:00.000Z. */
  times: { createdAt: string; signedAt: string };
  documents: ManifestDocument[];
}

const ID12 = /^\d{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(field: string): AppError {
  return new AppError('SIGN_MANIFEST_INVALID', { field });
}

function isJson(v: unknown, depth = 0): v is JsonValue {
  if (depth > 32) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJson(x, depth + 1));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.values(v).every((x) => isJson(x, depth + 1));
  }
  return false;
}

const text = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2000) throw invalid(field);
  return v.normalize('NFC');
};
const id12 = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !ID12.test(v)) throw invalid(field);
  return v;
};
const instant = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !ISO_UTC.test(v) || Number.isNaN(Date.parse(v))) throw invalid(field);
  return new Date(v).toISOString();
};

const isoDate = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) throw invalid(field);
  return v;
};

/** The manifest object (validated, normalised) before serialisation. */
export function manifestObject(input: ManifestInput): { [key: string]: JsonValue } {
  const form: unknown = input.form;
  if (!isJson(form) || Array.isArray(form) || form === null || typeof form !== 'object') throw invalid('form');
  const applicantKind = input.applicant?.kind;
  if (applicantKind !== 'iin' && applicantKind !== 'bin') throw invalid('applicant.kind');
  const rep = input.representative ?? null;
  const seen = new Set<string>();
  const documents = (Array.isArray(input.documents) ? input.documents : [])
    .map((d, i) => {
      if (!Number.isSafeInteger(d.index) || d.index < 0) throw invalid(`documents.${i}.index`);
      if (!Number.isSafeInteger(d.size) || d.size < 0) throw invalid(`documents.${i}.size`);
      if (typeof d.sha256 !== 'string' || !SHA256.test(d.sha256)) throw invalid(`documents.${i}.sha256`);
      const slot = text(d.slot, `documents.${i}.slot`);
      const key = `${slot}\u0000${d.index}`;
      if (seen.has(key)) throw invalid(`documents.${i}`);
      seen.add(key);
      return { slot, index: d.index, sha256: d.sha256, size: d.size, mediaType: text(d.mediaType, `documents.${i}.mediaType`) };
    })
    // A stable order whatever order the caller listed them in.
    .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : a.index - b.index));
  if (!Array.isArray(input.documents)) throw invalid('documents');

  return {
    format: MANIFEST_FORMAT,
    requestId: text(input.requestId, 'requestId'),
    service: { id: text(input.service?.id, 'service.id'), subService: input.service?.subService === null || input.service?.subService === undefined ? null : text(input.service.subService, 'service.subService') },
    applicant: { kind: applicantKind, number: id12(input.applicant.number, 'applicant.number'), name: text(input.applicant.name, 'applicant.name') },
    representative:
      rep === null
        ? null
        : {
            iin: id12(rep.iin, 'representative.iin'),
            name: text(rep.name, 'representative.name'),
            powerOfAttorney: {
              number: text(rep.powerOfAttorney?.number, 'representative.powerOfAttorney.number'),
              date: isoDate(rep.powerOfAttorney?.date, 'representative.powerOfAttorney.date'),
              notary: rep.powerOfAttorney.notary === null || rep.powerOfAttorney.notary === undefined ? null : text(rep.powerOfAttorney.notary, 'representative.powerOfAttorney.notary'),
            },
          },
    form,
    operator: { id: text(input.operator?.id, 'operator.id'), iin: id12(input.operator?.iin, 'operator.iin'), name: text(input.operator?.name, 'operator.name') },
    centre: { code: text(input.centre?.code, 'centre.code'), bin: id12(input.centre?.bin, 'centre.bin'), name: text(input.centre?.name, 'centre.name') },
    times: { createdAt: instant(input.times?.createdAt, 'times.createdAt'), signedAt: instant(input.times?.signedAt, 'times.signedAt') },
    documents,
  };
}

/** RFC 8785 canonical JSON of the manifest, UTF-8. Throws SIGN_MANIFEST_INVALID { field }. */
export function canonicalManifest(input: ManifestInput): Uint8Array {
  const json = canonicalize(manifestObject(input));
  if (json === undefined) throw invalid('manifest');
  return new Uint8Array(Buffer.from(json, 'utf8'));
}

/** SHA-256 and size of a file, streamed (constant memory whatever the size). */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}
