/**
 * eSCL documents (ScannerCapabilities, ScannerStatus) parsed with fast-xml-parser, safely:
 * answers come from devices on the network, so a document is refused before parsing when it is
 * larger than MAX_XML_BYTES or declares a DOCTYPE or an entity (no entity is ever expanded: XML
 * bombs and external entities cannot work), and the parser runs with entity processing off.
 * Namespace prefixes vary between vendors (scan:, pwg:, none), so they are dropped.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../../contract/errors.js';

export const MAX_XML_BYTES = 512 * 1024;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: true,
  // Lists come back as arrays whatever their length.
  isArray: (name) => ARRAY_TAGS.has(name),
});

const ARRAY_TAGS = new Set([
  'ColorMode',
  'DocumentFormat',
  'DocumentFormatExt',
  'DiscreteResolution',
  'SettingProfile',
  'JobInfo',
  'JobStateReason',
  'AdfOption',
  'Intent',
]);

export type XmlNode = { [k: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Parses an eSCL document; refuses DOCTYPE/ENTITY, oversize or malformed XML with typed errors. */
export function parseEsclXml(body: Buffer | string, what: string): XmlNode {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (size > MAX_XML_BYTES) throw new AppError('SCAN_ESCL_XML_REFUSED', { reason: 'size', what });
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new AppError('SCAN_ESCL_XML_REFUSED', { reason: 'doctype', what });
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new AppError('SCAN_ESCL_MALFORMED', { what }, { detail: valid.err.msg });
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (e) {
    throw new AppError('SCAN_ESCL_MALFORMED', { what }, { detail: e instanceof Error ? e.message : String(e) });
  }
  if (typeof doc !== 'object' || doc === null) throw new AppError('SCAN_ESCL_MALFORMED', { what });
  return doc as XmlNode;
}

/** The child node `key` (first one when repeated), or undefined. */
export function child(n: XmlValue | undefined, key: string): XmlValue | undefined {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return undefined;
  const v = n[key];
  return Array.isArray(v) ? v[0] : v;
}

/** Every child `key` as a list. */
export function children(n: XmlValue | undefined, key: string): XmlValue[] {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return [];
  const v = n[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

export function text(n: XmlValue | undefined): string | undefined {
  if (typeof n === 'string') return n;
  if (n && typeof n === 'object' && !Array.isArray(n) && typeof n['#text'] === 'string') return n['#text'];
  return undefined;
}

export function int(n: XmlValue | undefined): number | undefined {
  const t = text(n);
  if (t === undefined || !/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}

/** Follows a path of child names. */
export function at(n: XmlValue | undefined, ...path: string[]): XmlValue | undefined {
  let cur = n;
  for (const p of path) cur = child(cur, p);
  return cur;
}
