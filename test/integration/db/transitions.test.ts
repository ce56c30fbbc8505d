/**
 * Every transition of the lifecycle, legal and illegal, generated from the transition table (so
 * the tests cannot drift from it), against a real SQLite store: a legal one changes the status
 * and writes one history row (with the Diagram 3 step) and one audit entry in the same commit; an
 * illegal one raises REQUEST_ILLEGAL_TRANSITION and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/contract/errors.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../../src-main/contract/model.js';
import { canTransition, EDITABLE, STEP_OF, TERMINAL, TRANSITIONS } from '../../../src-main/contract/lifecycle.js';
import { createRequest, openFixture, type StoreFixture } from '../../support/store-fixture.js';

const PAIRS = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to) => [from, to] as const));
const LEGAL = PAIRS.filter(([f, t]) => TRANSITIONS[f].includes(t));
const ILLEGAL = PAIRS.filter(([f, t]) => !TRANSITIONS[f].includes(t));

let fx: StoreFixture;
let id: string;
beforeAll(async () => {
  fx = await openFixture();
  id = createRequest(fx).id;
});
afterAll(async () => {
  await fx.close();
});

const counts = () => ({
  history: (fx.store.db.prepare('SELECT COUNT(*) AS n FROM status_history WHERE request_id = ?').get(id) as { n: number }).n,
  audit: (fx.store.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE subject = ?').get(id) as { n: number }).n,
});
const force = (s: RequestStatus) => fx.store.db.prepare('UPDATE requests SET status = ? WHERE id = ?').run(s, id);

describe('the transition table', () => {
  it('has the main path, needs_attention, and cancellation only before signing', () => {
    const main: RequestStatus[] = ['draft', 'applicant_verified', 'documents_complete', 'signed', 'queued', 'sent', 'registered', 'under_review', 'result_ready', 'issued'];
    for (let i = 0; i + 1 < main.length; i++) expect(canTransition(main[i]!, main[i + 1]!), `${main[i]} → ${main[i + 1]}`).toBe(true);
    for (const s of REQUEST_STATUSES) expect(canTransition(s, 'cancelled'), s).toBe(EDITABLE.has(s));
    expect([...TERMINAL].sort()).toEqual(['cancelled', 'issued']);
    // Every status but the terminal ones can be left, and every status can be reached.
    for (const s of REQUEST_STATUSES.filter((x) => x !== 'draft')) expect(PAIRS.some(([f, t]) => t === s && canTransition(f, t)), s).toBe(true);
  });

  it.each(LEGAL)('%s → %s is applied with its history row and audit entry', (from, to) => {
    force(from);
    const before = counts();
    fx.requests.setStatus(id, from, to, fx.actor.id, to === 'needs_attention' ? 'GATEWAY_REJECTED' : null);
    expect(fx.requests.row(id).status).toBe(to);
    const h = fx.store.db.prepare('SELECT from_status, to_status, step, actor FROM status_history WHERE request_id = ? ORDER BY id DESC LIMIT 1').get(id);
    expect(h).toEqual({ from_status: from, to_status: to, step: STEP_OF[to], actor: fx.actor.id });
    expect(counts()).toEqual({ history: before.history + 1, audit: before.audit + 1 });
    const last = fx.requests.audit.entries(id).at(-1)!;
    expect(last).toMatchObject({ action: 'request.transition', data: { from, to } });
  });

  it.each(ILLEGAL)('%s → %s is refused with a typed error and changes nothing', (from, to) => {
    force(from);
    const before = counts();
    let err: unknown;
    try {
      fx.requests.setStatus(id, from, to, fx.actor.id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('REQUEST_ILLEGAL_TRANSITION');
    expect((err as AppError).params).toEqual({ from, to });
    expect(fx.requests.row(id).status).toBe(from);
    expect(counts()).toEqual(before);
  });

  it('refuses a transition from a status the request is no longer in (a stale screen)', () => {
    force('queued');
    expect(() => fx.requests.setStatus(id, 'signed', 'queued', fx.actor.id)).toThrow(/REQUEST_STATE/);
    expect(fx.requests.row(id).status).toBe('queued');
  });

  it('the audit chain still verifies after all of it', () => {
    expect(fx.requests.audit.verify()).toMatchObject({ ok: true, firstBroken: null });
  });
});
