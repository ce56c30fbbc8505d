/**
 * The dashboard's fast paths on a real store: the roll-ups are a fold of the step events outside
 * the request's commit, so the figures must be the same whether the events are folded or not (and
 * an outcome counted once across a fold); the deadline list is a range over the due dates stored
 * on the requests, soonest first, with a limit and its total; requests accepted before due dates
 * were stored get theirs; the step log's operator look-ups use the partial index.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeTx } from '../../../src-main/db/database.js';
import { OPERATOR_SCOPED } from '../../../src-main/db/repos/step-events.js';
import { withStepEvents } from '../../support/step-store.js';
import { completeDocuments, makeIin, openFixture, SERVICE, type StoreFixture } from '../../support/store-fixture.js';

const DAY = 86_400_000;
let fx: StoreFixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

async function world() {
  fx = await openFixture({ reconcile: false });
  const f = fx;
  const { steps, reports, requests } = withStepEvents(f);
  const accept = async (n: number) => {
    const r = await completeDocuments(f, requests.create(f.actor, { ...SERVICE, applicant: { kind: 'iin', number: makeIin(n), manualName: 'Жұмабаева Әсел' } }));
    f.clock.t += 60_000; // P5: a minute from opening to signing
    writeTx(f.store.db, () => {
      requests.setStatus(r.id, 'documents_complete', 'signed', f.actor.id);
      requests.setStatus(r.id, 'signed', 'queued', f.actor.id);
    });
    return r.id;
  };
  return { fx: f, steps, reports, requests, accept };
}

const today = '2026-11-23';
const input = { from: '2026-11-01', to: today, scope: 'workstation' as const };

describe('roll-ups folded outside the commit', () => {
  it('give the same figures folded or not, and count an outcome once across a fold', async () => {
    const w = await world();
    const ids = [await w.accept(1), await w.accept(2)];
    const rollups = w.steps.events.rollups;
    expect(rollups.tailLength()).toBeGreaterThan(0); // nothing folded by the commits
    const unfolded = await w.reports.figuresOf(input);
    expect(unfolded.counts.period.accepted).toBe(2);
    expect(unfolded.steps.find((s) => s.step === 'P5' && s.serviceId === null)!.count).toBe(2);

    rollups.fold();
    expect(rollups.tailLength()).toBe(0);
    const folded = await w.reports.figuresOf(input);
    expect({ ...folded, asOf: '' }).toEqual({ ...unfolded, asOf: '' });

    // Sent back to the queue after the fold: still accepted once; one operator's figures too.
    writeTx(w.fx.store.db, () => {
      w.requests.setStatus(ids[0]!, 'queued', 'needs_attention', 'sync');
      w.requests.setStatus(ids[0]!, 'needs_attention', 'queued', w.fx.actor.id);
    });
    const after = await w.reports.figuresOf(input);
    expect(after.counts.period.accepted).toBe(2);
    const mine = await w.reports.figuresOf({ ...input, operatorId: w.fx.actor.id });
    expect(mine.counts.period.accepted).toBe(2);
    expect(mine.steps.find((s) => s.step === 'P5' && s.serviceId === null)!.count).toBe(2);
    expect((await w.reports.figuresOf({ ...input, operatorId: 'someone-else' })).steps).toEqual([]);
  });

  it('looks the operator up by the partial index, never a scan of every event', async () => {
    const w = await world();
    const plan = (w.fx.store.db.prepare(
      `EXPLAIN QUERY PLAN SELECT * FROM step_events WHERE operator_id = ? AND ${OPERATOR_SCOPED} AND kind = 'login' ORDER BY seq DESC LIMIT 1`,
    ).all('x') as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('step_events_counter');
    // And the step log's own look-up finds the service the operator picked before any request.
    w.steps.screenReady(w.fx.actor.id, { screen: 'applicant', requestId: null, serviceId: 'emission-permit-aktobe', latencyMs: 10 });
    w.steps.record({ kind: 'lookup_asked', operatorId: w.fx.actor.id });
    expect(w.steps.events.unreported(100).at(-1)!.service_id).toBe('emission-permit-aktobe');
  });
});

describe('the deadline list', () => {
  it('lists open requests by their stored due date, soonest first, a page at a time with the total', async () => {
    const w = await world();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await w.accept(10 + i));
      w.fx.clock.t += DAY; // accepted on five days in a row
    }
    const dues = ids.map((id) => w.fx.requests.repos.requests.dueDate(id)!);
    expect(dues.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    expect([...dues].sort()).toEqual(dues);
    // Far enough ahead that all five are past their due date.
    w.fx.clock.t += 90 * DAY;
    const page = w.reports.lists(input, 2);
    expect(page.deadlinesTotal).toBe(5);
    expect(page.deadlines.map((d) => d.requestId)).toEqual(ids.slice(0, 2));
    expect(page.deadlines.every((d) => d.state === 'past' && d.daysLeft < 0)).toBe(true);
    expect(w.reports.lists(input, 50).deadlines.map((d) => d.requestId)).toEqual(ids);
    // The whole report (the export) lists them all.
    expect((await w.reports.dashboard(input)).deadlines).toHaveLength(5);
    // A decided request leaves the list; a registered one stays, with its due date from registration.
    writeTx(w.fx.store.db, () => {
      for (const [from, to] of [['queued', 'sent'], ['sent', 'registered'], ['registered', 'refused']] as const) w.requests.setStatus(ids[0]!, from, to, 'sync');
      w.requests.setStatus(ids[1]!, 'queued', 'sent', 'sync');
      w.requests.setStatus(ids[1]!, 'sent', 'registered', 'sync');
    });
    expect(w.reports.lists(input, 50).deadlinesTotal).toBe(4);
  });

  it('dates requests accepted before due dates were stored, the same as at acceptance', async () => {
    const w = await world();
    const id = await w.accept(30);
    const stored = w.fx.requests.repos.requests.dueDate(id);
    w.fx.store.db.prepare('UPDATE requests SET due_date = NULL').run(); // as after migration 010
    w.fx.clock.t += 60 * DAY;
    const l = w.reports.lists(input, 50);
    expect(w.fx.requests.repos.requests.dueDate(id)).toBe(stored);
    expect(l.deadlines.map((d) => [d.requestId, d.dueDate])).toEqual([[id, stored]]);
  });
});
