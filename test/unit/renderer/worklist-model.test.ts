/**
 * The work list's rules for a request refused at sending (P4 found when an applicant entered
 * offline was looked up): parked for the operator until the refusal's paper is printed, then
 * closed (last in priority, out of the "needs attention" filter), never overdue, still listed.
 */
import { describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../src-main/contract/model.js';
import { isOverdue, needsAttention, rank, sortItems } from '../../../src-renderer/screens/queue/worklist-model.js';

const TODAY = '2026-12-02';

function item(over: Partial<WorklistItem>): WorklistItem {
  return {
    id: 'r1',
    localNumber: 'A-1',
    serviceId: 'svc',
    subServiceId: null,
    status: 'queued',
    registrationNumber: null,
    applicantKind: 'iin',
    applicantNumberMasked: '9001******12',
    createdAt: '2026-11-01T05:00:00.000Z',
    updatedAt: '2026-11-01T05:00:00.000Z',
    lastError: null,
    attention: null,
    acceptedAt: '2026-11-01T05:00:00.000Z',
    due: { date: '2026-11-20', estimated: false, provisional: false },
    applicantVerified: false,
    refusal: null,
    ...over,
  };
}

const refused = (settled: boolean) =>
  item({ id: settled ? 'printed' : 'unprinted', status: 'needs_attention', lastError: 'APPLICANT_NOT_FOUND', refusal: { id: 'x', ground: 'data_unavailable', stage: 'sending', settled } });

describe('a request refused at sending on the work list', () => {
  it('needs attention until its paper is printed, then is closed and sorted last', () => {
    expect(needsAttention(refused(false))).toBe(true);
    expect(needsAttention(refused(true))).toBe(false);
    expect(rank(refused(true), TODAY)).toBe(4);
    const waiting = item({ id: 'waiting', due: { date: '2026-12-31', estimated: false, provisional: false } });
    const order = sortItems([refused(true), waiting, refused(false)], { key: 'priority', dir: 1 }, TODAY, () => '').map((i) => i.id);
    expect(order).toEqual(['unprinted', 'waiting', 'printed']);
  });

  it('is never overdue: it waits for no decision (a request still waiting is)', () => {
    expect(isOverdue(refused(false), TODAY)).toBe(false);
    expect(isOverdue(refused(true), TODAY)).toBe(false);
    expect(isOverdue(item({ status: 'registered' }), TODAY)).toBe(true);
  });

  it('a request parked for another reason stays in needs attention', () => {
    expect(needsAttention(item({ status: 'needs_attention', lastError: 'SUBMISSION_REJECTED' }))).toBe(true);
    expect(needsAttention(item({ status: 'issued', attention: 'STORAGE_FILE_MISSING' }))).toBe(true);
  });
});
