/**
 * Fault injection: rules that make the sandbox misbehave the way a real gateway does, set at
 * start (SandboxOptions.faults, `--faults file.json`) or at run time (PUT /admin/faults).
 *
 * A rule applies to one endpoint (see ENDPOINTS) or to all ('*'), fires with probability `rate`
 * drawn from its own PRNG seeded from `seed` and the rule's position (so a test that sends the
 * same requests in the same order meets the same faults), at most `times` times if given. The
 * first rule that fires for a request decides its fault. Each kind has a moment: before the
 * request is processed (the server did nothing) or after (the server did the work and the answer
 * is lost or spoiled): `when` overrides the default.
 */

export const ENDPOINTS = [
  'health',
  'individual',
  'entity',
  'powerOfAttorney',
  'uploadStart',
  'uploadState',
  'chunk',
  'uploadComplete',
  'submit',
  'status',
  'statusBatch',
  'result',
  'resultCms',
  'ack',
  'stepEvents',
  'centreReport',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const FAULT_KINDS = ['error', 'rateLimit', 'latency', 'reset', 'truncated', 'malformed', 'oversized', 'duplicate', 'maintenance'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  endpoint: Endpoint | '*';
  kind: FaultKind;
  /** Probability 0..1 that the rule fires for a matching request (default 1). */
  rate?: number;
  /** Fire at most this many times. */
  times?: number;
  when?: 'before' | 'after';
  /** error: the status (500, 502, 503 or 504; default 500), or 400: a permanent refusal (BAD_REQUEST, not retryable; `before` only). */
  status?: number;
  /** rateLimit, maintenance: the Retry-After seconds (default 1). */
  retryAfterSeconds?: number;
  /**
   * rateLimit, maintenance: the Retry-After header exactly as written here instead of the seconds
   * (a date, garbage, a negative number: what a misbehaving gateway sends); the body then carries
   * no retryAfterSeconds.
   */
  retryAfterHeader?: string;
  /** latency: added delay (default 1000). */
  ms?: number;
  /** oversized: body size (default 4 MiB). */
  bytes?: number;
  /** malformed: the body sent with status 200 (default: an HTML error page cut into JSON). */
  body?: string;
}

export interface FaultConfig {
  seed?: number;
  rules: FaultRule[];
}

const DEFAULT_WHEN: Record<FaultKind, 'before' | 'after'> = {
  error: 'before',
  rateLimit: 'before',
  latency: 'before',
  maintenance: 'before',
  reset: 'after',
  truncated: 'after',
  malformed: 'after',
  oversized: 'after',
  duplicate: 'after',
};

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ActiveFault extends Required<Pick<FaultRule, 'kind' | 'when'>> {
  rule: FaultRule;
}

export class FaultInjector {
  private rules: { rule: FaultRule; random: () => number; fired: number }[] = [];
  private maintenanceUntil = 0;
  readonly injected: Record<string, number> = {};

  constructor(
    config: FaultConfig | null,
    private readonly now: () => Date,
  ) {
    if (config) this.configure(config);
  }

  /** Replaces the rules (validated: throws Error with a reason). */
  configure(config: FaultConfig): void {
    if (!config || !Array.isArray(config.rules)) throw new Error('rules must be an array');
    const seed = Number.isInteger(config.seed) ? config.seed! : 1;
    this.rules = config.rules.map((rule, i) => {
      if (rule.endpoint !== '*' && !(ENDPOINTS as readonly string[]).includes(rule.endpoint)) throw new Error(`rules.${i}.endpoint`);
      if (!(FAULT_KINDS as readonly string[]).includes(rule.kind)) throw new Error(`rules.${i}.kind`);
      if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1)) throw new Error(`rules.${i}.rate`);
      if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after') throw new Error(`rules.${i}.when`);
      if (rule.retryAfterHeader !== undefined && (typeof rule.retryAfterHeader !== 'string' || !/^[\x20-\x7e]{0,200}$/.test(rule.retryAfterHeader))) throw new Error(`rules.${i}.retryAfterHeader`);
      return { rule, random: prng(seed * 7919 + i * 104729), fired: 0 };
    });
  }

  config(): { rules: FaultRule[]; maintenanceUntil: string | null } {
    return {
      rules: this.rules.map((r) => r.rule),
      maintenanceUntil: this.maintenanceUntil > this.now().getTime() ? new Date(this.maintenanceUntil).toISOString() : null,
    };
  }

  /** A maintenance window from now for `seconds` (0 ends it). Every endpoint answers 503 with Retry-After. */
  maintenance(seconds: number): void {
    this.maintenanceUntil = seconds > 0 ? this.now().getTime() + seconds * 1000 : 0;
  }

  /** Seconds left in the maintenance window, or 0. */
  maintenanceLeft(): number {
    const left = this.maintenanceUntil - this.now().getTime();
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** The fault (if any) for one request to `endpoint`. */
  draw(endpoint: Endpoint): ActiveFault | null {
    for (const r of this.rules) {
      if (r.rule.endpoint !== '*' && r.rule.endpoint !== endpoint) continue;
      if (r.rule.times !== undefined && r.fired >= r.rule.times) continue;
      if (r.random() >= (r.rule.rate ?? 1)) continue;
      r.fired++;
      this.injected[r.rule.kind] = (this.injected[r.rule.kind] ?? 0) + 1;
      return { rule: r.rule, kind: r.rule.kind, when: r.rule.when ?? DEFAULT_WHEN[r.rule.kind] };
    }
    return null;
  }
}
