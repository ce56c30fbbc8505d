/**
 * A request's chain of step events (migration 016) through the signing commit, on a real store:
 * the commit moves the request documents_complete → signed → queued from the row it read
 * (RequestService.advance), so its events must link back through every earlier event of the
 * request, the row must name the newest, and P5 must be timed from the request's opening. A row
 * read before another event of the request (a scan that began meanwhile) is refused like a stale
 * status, and the refused commit leaves no event, status or chain behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-main/contract/errors.js';
import { writeTx } from '../../../src-main/db/database.js';
import { scriptedClock } from '../../support/step-clock.js';
import { withStepEvents } from '../../support/step-store.js';
import { completeDocuments, makeIin, openFixture, SERVICE, type StoreFixture } from '../../support/store-fixture.js';

let fx: StoreFixture | null = null;
afterEach(async () => {
  await fx?.close();
  fx = null;
});

async function world() {
  fx = await openFixture({ reconcile: false });
  const f = fx;
  const clock = scriptedClock(f.clock.t);
  const { steps, requests } = withStepEvents(f, clock);
  const complete = async (n: number) => completeDocuments(f, requests.create(f.actor, { ...SERVICE, applicant: { kind: 'iin', number: makeIin(n), manualName: 'Жұмабаева Әсел' } }));
  /** The request's events, newest first, walked back from its row's head. */
  const chain = (id: string) => {
    const db = f.store.db;
    const out: { seq: number; kind: string; step: string | null; duration_ms: number | null }[] = [];
    let seq = (db.prepare('SELECT step_head FROM requests WHERE id = ?').get(id) as { step_head: number | null }).step_head;
    while (seq !== null) {
      const e = db.prepare('SELECT seq, prev_seq, kind, step, duration_ms FROM step_events WHERE seq = ?').get(seq) as { seq: number; prev_seq: number | null; kind: string; step: string | null; duration_ms: number | null };
      out.push({ seq: e.seq, kind: e.kind, step: e.step, duration_ms: e.duration_ms });
      seq = e.prev_seq;
    }
    return out;
  };
  const eventsOf = (id: string) => (f.store.db.prepare('SELECT COUNT(*) AS n FROM step_events WHERE request_id = ?').get(id) as { n: number }).n;
  return { fx: f, clock, steps, requests, complete, chain, eventsOf };
}

describe("a request's chain of step events through the signing commit", () => {
  it('links signed and queued behind every earlier event, names the newest on the row, and times P5 from the opening', async () => {
    const w = await world();
    const r = await w.complete(1);
    w.steps.scanStarted('job-1', r.id, w.fx.actor.id);
    w.clock.advance(90_000); // P5: a minute and a half from the opening to the signature
    const before = w.chain(r.id);
    writeTx(w.fx.store.db, () => w.requests.advance(w.requests.row(r.id), ['documents_complete', 'signed', 'queued'], w.fx.actor.id));

    const after = w.chain(r.id);
    expect(after.map((e) => e.kind).slice(0, 2)).toEqual(['queued', 'signed']);
    expect(after.slice(2)).toEqual(before); // nothing earlier lost or re-ordered
    expect(after).toHaveLength(w.eventsOf(r.id)); // every event of the request is on its chain
    expect(after.at(-1)!.kind).toBe('service_chosen');
    expect(after[1]).toMatchObject({ step: 'P5', duration_ms: 90_000 });
    expect(w.requests.row(r.id).status).toBe('queued');
    expect(w.fx.store.db.prepare('SELECT to_status FROM status_history WHERE request_id = ? ORDER BY id DESC LIMIT 2').all(r.id)).toEqual([{ to_status: 'queued' }, { to_status: 'signed' }]);
  });

  it('refuses a row read before another event of the request, and leaves nothing of the commit', async () => {
    const w = await world();
    const r = await w.complete(2);
    const read = w.requests.row(r.id);
    w.steps.scanStarted('job-2', r.id, w.fx.actor.id); // a late page: the chain moved since the read
    const before = { chain: w.chain(r.id), events: w.eventsOf(r.id), row: w.requests.row(r.id) };

    let err: unknown;
    try {
      writeTx(w.fx.store.db, () => w.requests.advance(read, ['documents_complete', 'signed', 'queued'], w.fx.actor.id));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('REQUEST_STATE');
    expect({ chain: w.chain(r.id), events: w.eventsOf(r.id), row: w.requests.row(r.id) }).toEqual(before);

    // Read again, the same commit goes through.
    writeTx(w.fx.store.db, () => w.requests.advance(w.requests.row(r.id), ['documents_complete', 'signed', 'queued'], w.fx.actor.id));
    expect(w.chain(r.id).map((e) => e.kind).slice(0, 3)).toEqual(['queued', 'signed', 'scan_started']);
  });

  it('refuses a row whose status is not where the move starts', async () => {
    const w = await world();
    const r = await w.complete(3);
    const read = { ...w.requests.row(r.id), status: 'signed' as const };
    expect(() => w.requests.advance(read, ['documents_complete', 'signed', 'queued'], w.fx.actor.id)).toThrow(/REQUEST_STATE/);
    expect(w.requests.row(r.id).status).toBe('documents_complete');
  });
});
