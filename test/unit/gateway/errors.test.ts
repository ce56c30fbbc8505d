/**
 * The protocol's error table, the client's error classes and the operator's sentences stay in
 * step: every code the sandbox answers is in docs/gateway-protocol.md, every client code is in the
 * doc with the retryability the client gives it, and every client code has kk/ru/en sentences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/host/paths.js';
import { GATEWAY_ERRORS } from '../../../src-main/gateway/gateway-client.js';

const root = appRoot();
const doc = readFileSync(join(root, 'docs', 'gateway-protocol.md'), 'utf8');

describe('gateway error codes', () => {
  it('every code the sandbox answers with is in the protocol document', () => {
    const sandbox = readdirSync(join(root, 'sandbox'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(root, 'sandbox', f), 'utf8'))
      .join('\n');
    const codes = new Set([...sandbox.matchAll(/new HttpError\(\s*\d+,\s*'([A-Z_]+)'/g)].map((m) => m[1]!));
    for (const c of ['INTERNAL', 'BAD_GATEWAY', 'UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED', 'MAINTENANCE']) codes.add(c);
    codes.delete('ADMIN_TOKEN_REQUIRED'); // the admin API, not the protocol
    expect(codes.size).toBeGreaterThan(25);
    for (const c of codes) expect(doc, c).toContain(`\`${c}\``);
  });

  it('every client code is in the document, with the retryability the client gives it', () => {
    for (const [code, { retryable }] of Object.entries(GATEWAY_ERRORS)) {
      const rows = doc.split('\n').filter((l) => l.startsWith('|') && l.includes(`\`${code}`));
      expect(rows.length, code).toBeGreaterThan(0);
      if (code === 'GATEWAY_REJECTED') continue; // its retryability is the server's
      for (const row of rows) expect(row, code).toMatch(retryable ? /\| yes \|/ : /\| no \|/);
    }
  });

  it('every client code has a sentence in Kazakh, Russian and English', () => {
    for (const lang of ['kk', 'ru', 'en']) {
      const dict = JSON.parse(readFileSync(join(root, 'src-renderer', 'i18n', lang, 'errors', 'gateway.json'), 'utf8')) as Record<string, string>;
      for (const code of Object.keys(GATEWAY_ERRORS)) expect(dict[code], `${lang}: ${code}`).toBeTruthy();
      expect(Object.keys(dict).sort()).toEqual(Object.keys(GATEWAY_ERRORS).sort());
    }
  });
});
