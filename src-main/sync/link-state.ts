/**
 * The state of the line to the backend as the operator is told it, and the pause the engine
 * takes from a server's Retry-After, bounded (docs/gateway-protocol.md §5, src-main/sync/README.md).
 *
 *  - `online`: the backend answered the last exchange;
 *  - `offline`: it could not be reached (or did not answer in time);
 *  - `maintenance`: it answered 503 MAINTENANCE, `until` is when it said it would be back;
 *  - `rate_limited`: it answered 429, `until` likewise.
 *
 * A pause honours the server's seconds up to `maxPauseSeconds`: beyond that ceiling the engine
 * probes `health` again at its backoff pace and resumes the moment the backend answers, so a
 * backend announcing a day of maintenance does not silence the counter for a day. What the server
 * announced (uncapped, only bounded for sanity by the client) is still what the operator sees.
 * `lastContactAt` is the last successful exchange with the backend.
 *
 * Pure bookkeeping on an injected clock; the engine decides when to call.
 */
import { AppError } from '../contract/errors.js';
import { classify } from './backoff.js';

export const LINK_STATES = ['online', 'offline', 'maintenance', 'rate_limited'] as const;
export type LinkKind = (typeof LINK_STATES)[number];

export interface LinkSnapshot {
  link: LinkKind;
  /** Maintenance or rate limit: when the server said it would answer again (the workstation's clock + its seconds). */
  linkUntil: string | null;
  lastContactAt: string | null;
}

/** What a failure says about the line, if anything (the registry look-up wraps the gateway's: its cause says). */
export function linkKindOf(e: unknown): LinkKind | null {
  const inner = e instanceof AppError && e.code === 'REGISTRY_UNAVAILABLE' && e.cause instanceof AppError ? e.cause : e;
  if (inner instanceof AppError && inner.code === 'GATEWAY_MAINTENANCE') return 'maintenance';
  if (inner instanceof AppError && inner.code === 'GATEWAY_RATE_LIMITED') return 'rate_limited';
  return classify(e).offline ? 'offline' : null;
}

export class LinkState {
  private kind: LinkKind = 'offline';
  /** No call before this instant (ms, by `now`): the server's seconds, at most maxPauseSeconds. */
  private pausedUntil = 0;
  /** What the server announced (ms), shown to the operator. */
  private announcedUntil = 0;
  /** When the pauses since the last contact began: together they never exceed maxPauseSeconds. */
  private episodeStart: number | null = null;
  private lastContact: number | null = null;

  constructor(
    private readonly now: () => number,
    private readonly maxPauseSeconds: number,
  ) {}

  get state(): LinkKind {
    return this.kind;
  }

  /** The backend answered successfully: online, any pause is over. Returns whether the state changed. */
  contact(): boolean {
    this.lastContact = this.now();
    this.pausedUntil = 0;
    this.announcedUntil = 0;
    this.episodeStart = null;
    return this.set('online');
  }

  /** A failure of any call; returns whether the state changed. */
  failed(e: unknown): boolean {
    const kind = linkKindOf(e);
    if (!kind) return false;
    if (kind === 'maintenance' || kind === 'rate_limited') this.pause(classify(e).retryAfterSeconds);
    else {
      this.pausedUntil = 0;
      this.announcedUntil = 0;
    }
    return this.set(kind);
  }

  /** The backend could not be reached at all (a probe that failed without an answer). */
  unreachable(): boolean {
    this.pausedUntil = 0;
    this.announcedUntil = 0;
    return this.set('offline');
  }

  private pause(seconds: number): void {
    const now = this.now();
    if (seconds <= 0) return; // refused or absent: the engine's own backoff
    this.announcedUntil = Math.max(this.announcedUntil, now + seconds * 1000);
    // Every pause since the last contact ends by episodeStart + maxPauseSeconds; after that the
    // engine probes at its backoff pace however often the server repeats its Retry-After.
    this.episodeStart ??= now;
    this.pausedUntil = Math.max(this.pausedUntil, Math.min(now + seconds * 1000, this.episodeStart + this.maxPauseSeconds * 1000));
  }

  /** Whether the engine must not call now (only "Send now" probes through a pause). */
  paused(): boolean {
    return this.pausedUntil > this.now();
  }

  /** Milliseconds left in the pause (0 when none). */
  pauseLeftMs(): number {
    return Math.max(0, this.pausedUntil - this.now());
  }

  snapshot(): LinkSnapshot {
    const until = this.kind === 'maintenance' || this.kind === 'rate_limited' ? this.announcedUntil : 0;
    return {
      link: this.kind,
      linkUntil: until > 0 ? new Date(until).toISOString() : null,
      lastContactAt: this.lastContact === null ? null : new Date(this.lastContact).toISOString(),
    };
  }

  private set(kind: LinkKind): boolean {
    if (kind === this.kind) return false;
    this.kind = kind;
    return true;
  }
}

/**
 * One action shared by every caller while it runs and within `windowMs` of its start: "Send now"
 * pressed thirty times in a second is one probe, and every press gets that probe's answer.
 */
export class Coalesced<T> {
  private current: { at: number; p: Promise<T>; settled: boolean } | null = null;
  constructor(
    private readonly now: () => number,
    private readonly windowMs: number,
  ) {}

  /** Runs `action`, unless one started less than `windowMs` ago or is still under way: then its promise. */
  run(action: () => Promise<T>): Promise<T> {
    const c = this.current;
    if (c && (!c.settled || this.now() - c.at < this.windowMs)) return c.p;
    const entry = { at: this.now(), p: action(), settled: false };
    const settle = () => {
      entry.settled = true;
    };
    entry.p.then(settle, settle);
    this.current = entry;
    return entry.p;
  }
}
