/**
 * Which Diagram 3 step each kind of step event closes, and which earlier event opened it (the
 * step's duration runs from that event): reports/step-log.ts writes the events with these rules;
 * also the event a status change is, and the step a request is in after its latest event.
 */
import type { RequestStatus } from '../contract/model.js';
import type { Screen, StepEventKind, StepId } from '../contract/report.js';
import type { StepChain } from '../db/repos/requests.js';
import type { ChainEvent, StepEventRow, StepEventsRepo } from '../db/repos/step-events.js';

export interface StepEventInput {
  kind: StepEventKind;
  operatorId: string;
  requestId?: string | null;
  serviceId?: string | null;
  outcome?: string | null;
  screen?: Screen | null;
  latencyMs?: number | null;
  /** The opening event when it is not in the table (the log-in screen's mark, held in memory). */
  openedAt?: Pick<StepEventRow, 'run_id' | 'mono_ms' | 'at'>;
  /** A P4 refusal at look-up: the counter refusal's id (it has no request). */
  refusalId?: string | null;
  /** A request refused at the counter (documents incomplete or expired): its cancellation closes P5. */
  refusal?: boolean;
}

export interface Span {
  step: StepId | null;
  /** The event that opened the step, if any (`chain`: the request's, before this event). */
  opener: (e: StepEventInput, repo: StepEventsRepo, chain: StepChain | undefined) => Pick<ChainEvent, 'run_id' | 'mono_ms' | 'at'> | undefined;
}

const none: Span['opener'] = () => undefined;
const ofRequest =
  (kinds: readonly string[], screens: readonly string[] = []): Span['opener'] =>
  (_e, repo, chain) =>
    repo.lastInChain(chain?.head ?? null, kinds, screens);
/** P5's start: the request's latest opening (service_chosen or reopened), which its row names. */
const opening: Span['opener'] = (_e, repo, chain) => repo.opener(chain?.opened ?? null);
/** The operator's latest look-up asked, when it is later than any answer (the look-up in flight). */
const lookupInFlight: Span['opener'] = (e, repo) => {
  const last = repo.lastForOperator(e.operatorId, ['lookup_asked', 'lookup_answered', 'p4_recorded']);
  return last?.kind === 'lookup_asked' ? last : undefined;
};
/** The service screen's mark, when nothing of P2's end came after it. */
const serviceScreen: Span['opener'] = (e, repo) => {
  const last = repo.lastForOperator(e.operatorId, ['lookup_asked', 'service_chosen'], ['service']);
  return last?.kind === 'screen_ready' ? last : undefined;
};

/** Which step each kind of event closes, and what opened it. */
export const SPANS: Record<StepEventKind, Span> = {
  login: { step: 'P1', opener: none }, // opened by the log-in screen's mark, held in memory (no operator yet)
  lookup_asked: { step: 'P2', opener: serviceScreen },
  lookup_answered: { step: 'P3', opener: lookupInFlight },
  p4_recorded: { step: 'P4', opener: lookupInFlight },
  service_chosen: { step: 'P2', opener: serviceScreen }, // P2 ends here only when no look-up ended it
  documents_marked: { step: null, opener: none },
  scan_started: { step: null, opener: none },
  scan_finished: { step: null, opener: ofRequest(['scan_started']) },
  signed: { step: 'P5', opener: opening },
  queued: { step: null, opener: none },
  sent: { step: 'P6', opener: ofRequest(['queued']) },
  registered: { step: 'P7', opener: ofRequest(['sent']) },
  decided: { step: 'C2', opener: ofRequest(['registered']) },
  handed_over: { step: 'P9', opener: ofRequest([], ['result', 'issue']) },
  cancelled: { step: null, opener: none },
  reopened: { step: null, opener: none },
  screen_ready: { step: null, opener: none },
};

/** A refusal to accept the documents closes P5 (the documents' step), timed like signing would be. */
export const REFUSED: Span = { step: 'P5', opener: opening };

/** The step a screen's readiness belongs to (its latency is the app's, within that step). */
export const STEP_OF_SCREEN: Record<Screen, StepId | null> = {
  login: 'P1',
  service: 'P2',
  applicant: 'P3',
  documents: 'P5',
  scan: 'P5',
  sign: 'P5',
  queue: 'P6',
  result: 'P9',
  issue: 'P9',
  dashboard: null,
};

/** The event a status change is, or null (part of another event, or nothing to time). */
export function kindOfTransition(from: RequestStatus | null, to: RequestStatus): StepEventKind | null {
  if (from === null && to === 'draft') return 'service_chosen';
  if (from === 'needs_attention' && (to === 'applicant_verified' || to === 'applicant_unverified' || to === 'documents_complete')) return 'reopened';
  switch (to) {
    case 'documents_complete':
      return 'documents_marked';
    case 'signed':
      return 'signed';
    case 'queued':
      return 'queued';
    case 'sent':
      return 'sent';
    case 'registered':
      return 'registered';
    case 'refused':
    case 'result_ready':
      return from === 'needs_attention' ? null : 'decided';
    case 'issued':
      return 'handed_over';
    case 'cancelled':
      return 'cancelled';
    default:
      return null;
  }
}

/** The step a request (or counter) is in after its latest event. */
export function currentStep(last: StepEventRow): StepId | null {
  switch (last.kind) {
    case 'login':
    case 'screen_ready':
      return last.screen === 'service' || last.kind === 'login' ? 'P2' : null;
    case 'lookup_asked':
      return 'P3';
    case 'service_chosen':
    case 'documents_marked':
    case 'scan_started':
    case 'scan_finished':
    case 'reopened':
      return 'P5';
    case 'lookup_answered':
      return 'P5';
    case 'signed':
    case 'queued':
      return 'P6';
    case 'sent':
      return 'P7';
    case 'registered':
      return 'C2';
    default:
      return null;
  }
}
