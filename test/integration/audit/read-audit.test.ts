/**
 * Reads of personal data in the audit trail, through the real host and contract: an operator looks
 * an applicant up, searches for their requests and opens a scanned page; the supervisor (here the
 * administrator, who has the supervisor's access) lists who read that applicant's data. The trail
 * keeps the applicant's database id, never the IIN, and is in the encrypted database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDatabase } from '../../../src-main/db/store.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';

const IIN = '900702400457';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(() => stack?.close());

async function as(login: 'operator' | 'admin') {
  await stack.raw('auth.logout', {});
  await stack.ok('auth.login', { login, password: login === 'admin' ? 'admin123' : 'operator123' });
}

describe("reads of an applicant's data", () => {
  it('are written to the audit trail and listed for the supervisor by IIN', { timeout: 60_000 }, async () => {
    await as('operator');
    await stack.ok('applicant.lookup', { kind: 'iin', number: IIN });
    let r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: IIN, manualName: null } });
    r = await presentRequiredDocuments(stack, r);
    await stack.ok('request.search', { applicant: { kind: 'iin', number: IIN } });
    const page = r.slots.flatMap((s) => s.pages)[0]!;
    await stack.ok('pages.content', { pageId: page.id });
    await stack.ok('pages.content', { pageId: page.id }); // paging through the same request: one read
    // The operator may not see the trail.
    expect(await stack.raw('audit.reads', { kind: 'iin', number: IIN })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await as('admin');
    const list = await stack.ok('audit.reads', { kind: 'iin', number: IIN });
    expect(list.known).toBe(true);
    expect(list.entries.map((e) => e.action).sort()).toEqual(['read.applicant', 'read.pages', 'read.search']);
    for (const e of list.entries) expect(e.operator).toMatchObject({ login: 'operator', name: 'Омаров Ерлан Серікұлы' });
    expect(list.entries.find((e) => e.action === 'read.pages')).toMatchObject({ requestId: r.id, localNumber: r.localNumber });
    expect(list.entries.every((e, i) => i === 0 || e.at <= list.entries[i - 1]!.at)).toBe(true); // newest first

    // Another applicant's trail holds none of these; an IIN never seen here is said so.
    expect(await stack.ok('audit.reads', { kind: 'iin', number: '850315300128' })).toEqual({ known: false, entries: [] });

    // The trail names the applicant by id: no IIN in any audit row (the database itself is encrypted).
    const db = openDataDatabase(stack.config.dataDir);
    try {
      const rows = db.prepare(`SELECT subject, data FROM audit_log WHERE action LIKE 'read.%'`).all() as { subject: string | null; data: string }[];
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(`${row.subject} ${row.data}`).not.toContain(IIN);
    } finally {
      db.close();
    }
  });
});
