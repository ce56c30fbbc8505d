import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeForStatus, SCAN_ERROR_CODES } from '../../../src-main/scan/faults.js';
import { DEFAULT_PROFILES } from '../../../src-main/scan/profiles.js';

const root = join(import.meta.dirname, '..', '..', '..');
const langs = ['kk', 'ru', 'en'] as const;
const load = (lang: string, file: string) => JSON.parse(readFileSync(join(root, 'src-renderer', 'i18n', lang, file), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('scanner statuses → operator messages and actions', () => {
  const ctx = { pagesInJob: 3, deviceListed: true, stage: 'read' };
  it.each([
    ['JAMMED', 'paused', 'SCAN_JAMMED', 'clear-jam-and-continue'],
    ['COVER_OPEN', 'paused', 'SCAN_COVER_OPEN', 'close-cover-and-continue'],
    ['DEVICE_BUSY', 'paused', 'SCAN_DEVICE_BUSY', 'retry'],
    ['IO_ERROR', 'paused', 'SCAN_IO_ERROR', 'check-connection-and-continue'],
    ['ACCESS_DENIED', 'failed', 'SCAN_ACCESS_DENIED', 'contact-support'],
    ['NO_MEM', 'failed', 'SCAN_DEVICE_ERROR', 'contact-support'],
  ])('%s → %s %s (%s)', (status, state, code, action) => {
    expect(outcomeForStatus(status, ctx)).toMatchObject({ state, fault: { code, action } });
  });

  it('no documents after some pages is the normal end of a batch; before any, a request to load', () => {
    expect(outcomeForStatus('NO_DOCS', ctx)).toEqual({ state: 'completed', fault: null });
    expect(outcomeForStatus('NO_DOCS', { ...ctx, pagesInJob: 0 })).toMatchObject({ state: 'paused', fault: { code: 'SCAN_NO_DOCS' } });
    // Only blank sheets so far: still a normal end.
    expect(outcomeForStatus('NO_DOCS', { ...ctx, pagesInJob: 0, sheetsFed: 4 })).toEqual({ state: 'completed', fault: null });
  });

  it('an I/O error on a device SANE no longer lists is "device gone"', () => {
    expect(outcomeForStatus('IO_ERROR', { ...ctx, deviceListed: false })).toMatchObject({ fault: { code: 'SCAN_DEVICE_GONE', action: 'reconnect-device', params: { pagesKept: 3 } } });
    expect(outcomeForStatus('INVAL', { ...ctx, stage: 'open', deviceListed: false })).toMatchObject({ fault: { code: 'SCAN_DEVICE_GONE' } });
  });
});

describe('scan i18n', () => {
  it('every SCAN_* code has a sentence in Kazakh, Russian and English with the same placeholders', () => {
    const files = langs.map((l) => load(l, 'errors/scan.json'));
    for (const code of SCAN_ERROR_CODES) {
      for (const f of files) expect(f[code], code).toBeTruthy();
      expect(placeholders(files[1]![code]!), code).toEqual(placeholders(files[0]![code]!));
      expect(placeholders(files[2]![code]!), code).toEqual(placeholders(files[0]![code]!));
    }
    for (const f of files) expect(Object.keys(f).sort()).toEqual([...SCAN_ERROR_CODES].sort());
  });

  it('the Kazakh texts are Kazakh (Cyrillic with Kazakh letters)', () => {
    const kk = Object.values(load('kk', 'errors/scan.json')).join(' ') + Object.values(load('kk', 'scan.json')).join(' ');
    for (const letter of ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'і']) expect(kk).toContain(letter);
  });

  it('profiles, sources, modes and actions have UI strings in every language', () => {
    const files = langs.map((l) => load(l, 'scan.json'));
    const keys = [
      ...DEFAULT_PROFILES.map((p) => p.nameKey),
      'source.flatbed', 'source.adf', 'source.adf-duplex', 'mode.gray', 'mode.color', 'mode.lineart',
      'action.clear-jam-and-continue', 'action.close-cover-and-continue', 'action.retry', 'action.continue',
      'action.load-and-continue', 'action.check-connection-and-continue', 'action.reconnect-device', 'action.import-files',
      'status.sane.unavailable', 'status.reason.not-built', 'status.reason.no-libsane', 'progress.blank-skipped',
    ];
    for (const f of files) for (const k of keys) expect(f[k], k).toBeTruthy();
    expect(Object.keys(files[1]!).sort()).toEqual(Object.keys(files[0]!).sort());
    expect(Object.keys(files[2]!).sort()).toEqual(Object.keys(files[0]!).sort());
  });
});
