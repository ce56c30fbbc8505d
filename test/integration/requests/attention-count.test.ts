/**
 * The queue's "needs attention" count (queue.status counts.needsAttention) is the number of work
 * list rows the work list marks as needing the operator (worklist-model.ts needsAttention), on a
 * real store: a request flagged with an attention code (a page file gone) in any status, one the
 * backend rejected, one refused at sending whose paper is not printed yet, and one whose refusal
 * is settled but that is flagged too, count; a refusal settled and nothing else, or a request
 * simply queued, does not.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestStatus } from '../../../src-main/contract/model.js';
import { newId } from '../../../src-main/db/ids.js';
import { worklist } from '../../../src-main/requests/worklist.js';
import { Catalog } from '../../../src-main/catalog/catalog.js';
import { assetPath } from '../../../src-main/host/paths.js';
import { needsAttention } from '../../../src-renderer/screens/queue/worklist-model.js';
import { createRequest, makeIin, openFixture, type StoreFixture } from '../../support/store-fixture.js';

let fx: StoreFixture;
beforeAll(async () => {
  fx = await openFixture({ reconcile: false });
});
afterAll(async () => {
  await fx.close();
});

/** A request walked to `path`'s last status through the lifecycle (guarded changes, history, audit). */
function requestAt(n: number, path: RequestStatus[], lastError: string | null = null): string {
  const id = createRequest(fx, n).id;
  const force = fx.store.db.prepare('UPDATE requests SET status = ? WHERE id = ?');
  force.run(path[0], id); // the documents and the signature are not what this test is about
  for (let i = 1; i < path.length; i++) fx.requests.setStatus(id, path[i - 1]!, path[i]!, 'sync', i === path.length - 1 ? lastError : null);
  return id;
}

function refusedAtSending(n: number, settled: boolean): string {
  const id = requestAt(n, ['queued', 'needs_attention'], 'APPLICANT_NOT_FOUND');
  const refusals = fx.requests.repos.refusals;
  const refusalId = newId();
  refusals.insert({
    id: refusalId,
    at: fx.now().toISOString(),
    operator_id: fx.actor.id,
    ground: 'data_unavailable',
    stage: 'sending',
    registry: 'individuals',
    applicant_kind: 'iin',
    applicant_number: makeIin(n),
    service_id: 'emission-permit-almaty',
    sub_service_id: 'cat-4',
    request_id: id,
    documents_json: null,
  });
  if (settled) refusals.setPaper(refusalId, 'e'.repeat(64));
  return id;
}

it('counts what the work list marks as needing attention, and nothing else', () => {
  const flaggedQueued = requestAt(1, ['signed', 'queued']);
  fx.requests.repos.requests.flag(flaggedQueued, 'FILE_MISSING', fx.now().toISOString());
  const rejected = requestAt(2, ['queued', 'needs_attention'], 'GATEWAY_REJECTED');
  const refusedOpen = refusedAtSending(3, false);
  const refusedSettled = refusedAtSending(4, true);
  const refusedSettledFlagged = refusedAtSending(5, true);
  fx.requests.repos.requests.flag(refusedSettledFlagged, 'FILE_MISSING', fx.now().toISOString());
  const queued = requestAt(6, ['signed', 'queued']);

  const items = worklist({ requests: fx.requests, catalog: Catalog.load(assetPath('catalog', 'services.json')), docs: fx.docs, now: fx.now }, 100);
  const marked = items.filter(needsAttention).map((i) => i.id);
  expect(new Set(marked)).toEqual(new Set([flaggedQueued, rejected, refusedOpen, refusedSettledFlagged]));
  expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([refusedSettled, queued]));
  expect(fx.requests.repos.refusals.needingAttention()).toBe(marked.length);
});
