/**
 * Every fault the sandbox can inject produces the typed error the protocol promises on the client
 * (retryable or permanent), a retry after a fault that struck after processing still registers
 * exactly once, faults are deterministic for a seed, and ±1 h of skew on the workstation's clock
 * changes nothing.
 *
 * The clients' deadline is a hang guard (test/support/gateway.ts), except where the deadline is
 * what a case checks. After each case, even a failed one, its fault rules go and the sandbox
 * finishes whatever the case left in flight (a request its client gave up on), so nothing of one
 * case reaches the next one's figures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../sandbox/faults.js';
import { gatewayErrorScope, type GatewayClient } from '../../../src-main/gateway/gateway-client.js';
import { caught, signedRequest, startGatewayRig, uploadAll, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig;
beforeAll(async () => {
  rig = await startGatewayRig();
});
afterAll(async () => {
  await rig?.close();
});
afterEach(async () => {
  await rig.admin.clearFaults();
  await rig.sandbox.settled();
});

const once = (rule: Omit<FaultRule, 'times'>) => rig.admin.setFaults({ rules: [{ ...rule, times: 2 }] });
const lookup = (c: GatewayClient) => c.lookupIndividual('900702400457');

describe('injected faults → typed client errors', () => {
  const table: [string, Omit<FaultRule, 'times'>, Record<string, unknown>][] = [
    ['500', { endpoint: 'individual', kind: 'error', status: 500 }, { code: 'GATEWAY_SERVER_ERROR', retryable: true, params: { status: 500 } }],
    ['503 without Retry-After', { endpoint: 'individual', kind: 'error', status: 503 }, { code: 'GATEWAY_SERVER_ERROR', retryable: true, params: { status: 503 } }],
    ['429 with Retry-After', { endpoint: 'individual', kind: 'rateLimit', retryAfterSeconds: 7 }, { code: 'GATEWAY_RATE_LIMITED', retryable: true, params: { seconds: 7 } }],
    ['a maintenance answer', { endpoint: 'individual', kind: 'maintenance', retryAfterSeconds: 120 }, { code: 'GATEWAY_MAINTENANCE', retryable: true, params: { seconds: 120 } }],
    ['a connection reset mid-body', { endpoint: 'individual', kind: 'reset' }, { code: 'GATEWAY_CONNECTION_LOST', retryable: true }],
    ['truncated JSON', { endpoint: 'individual', kind: 'truncated' }, { code: 'GATEWAY_BAD_RESPONSE', retryable: true }],
    ['an HTML error page as JSON', { endpoint: 'individual', kind: 'malformed' }, { code: 'GATEWAY_BAD_RESPONSE', retryable: true }],
    ['valid JSON of the wrong shape', { endpoint: 'individual', kind: 'malformed', body: '{"iin":"900702400457","fullName":42}' }, { code: 'GATEWAY_BAD_RESPONSE', retryable: true }],
    ['an oversized answer', { endpoint: 'individual', kind: 'oversized', bytes: 3 * 1024 * 1024 }, { code: 'GATEWAY_RESPONSE_TOO_LARGE', retryable: true }],
  ];
  for (const [what, rule, want] of table) {
    it(`${what} → ${String(want.code)}`, async () => {
      const c = rig.client();
      await once(rule);
      expect(await caught(lookup(c))).toMatchObject(want);
      expect(gatewayErrorScope(await caught(lookup(c)))).toBe('transient');
      // Once the fault is spent, the same client works again.
      expect(await lookup(c)).toMatchObject({ status: 'active' });
    });
  }

  it('latency beyond the deadline → GATEWAY_TIMEOUT', async () => {
    // The deadline is what this case checks. The sandbox runs in this process: its delay is a
    // timer on the same event loop, due after the client's (it starts later and is longer), so
    // the client's deadline passes first however slow the machine is.
    const d = rig.client({ timeoutMs: 1000 });
    await once({ endpoint: 'individual', kind: 'latency', ms: 1500 });
    expect(await caught(lookup(d))).toMatchObject({ code: 'GATEWAY_TIMEOUT', retryable: true, params: { seconds: 1 } });
    expect(gatewayErrorScope(await caught(lookup(d)))).toBe('transient');
    // Once the fault is spent, look-ups are answered again (by a client whose deadline is a
    // hang guard: a 1 s deadline on a loaded machine is not what this checks).
    expect(await lookup(rig.client())).toMatchObject({ status: 'active' });
  });

  it('an answer about something else (another IIN) is refused', async () => {
    await once({ endpoint: 'individual', kind: 'malformed', body: '{"iin":"781201300016","fullName":"X","birthDate":"1978-12-01","status":"active"}' });
    expect(await caught(lookup(rig.client()))).toMatchObject({ code: 'GATEWAY_BAD_RESPONSE' });
  });

  it('a maintenance window: every endpoint answers 503 with the time left, then it ends', async () => {
    const c = rig.client();
    const start = Date.now();
    await rig.admin.maintenance(90);
    const e = await caught(c.health());
    const took = Math.ceil((Date.now() - start) / 1000);
    expect(e).toMatchObject({ code: 'GATEWAY_MAINTENANCE', retryable: true });
    // The time left, less what this case took so far (however slow the machine).
    expect(Number(e.params.seconds)).toBeGreaterThanOrEqual(90 - took);
    expect(Number(e.params.seconds)).toBeLessThanOrEqual(90);
    expect(await caught(lookup(c))).toMatchObject({ code: 'GATEWAY_MAINTENANCE' });
    await rig.admin.maintenance(0);
    expect(await c.health()).toMatchObject({ ok: true });
  });

  it('after-processing faults on submit: the retry gets the same registration, counted once at the backend', async () => {
    const c = rig.client();
    const expected = { reset: 'GATEWAY_CONNECTION_LOST', truncated: 'GATEWAY_BAD_RESPONSE', malformed: 'GATEWAY_BAD_RESPONSE', oversized: 'GATEWAY_RESPONSE_TOO_LARGE', error: 'GATEWAY_SERVER_ERROR' };
    for (const kind of ['reset', 'truncated', 'malformed', 'oversized', 'error'] as const) {
      const { submission, documents } = await signedRequest(rig.pki);
      await uploadAll(c, documents);
      await rig.admin.setFaults({ rules: [{ endpoint: 'submit', kind, when: 'after', times: 1, status: 500 }] });
      expect(await caught(c.submit(submission)), kind).toMatchObject({ code: expected[kind], retryable: true });
      const retry = await c.submit(submission);
      expect(retry.duplicate, kind).toBe(true);
    }
    const stats = await rig.admin.stats();
    expect(stats.duplicateRegistrations).toBe(0);
  });

  it('duplicate delivery and a duplicated response: one registration, and no answer is taken for another', async () => {
    const c = rig.client();
    const before = await rig.admin.stats();
    const { submission, documents } = await signedRequest(rig.pki);
    await uploadAll(c, documents);
    await rig.admin.setFaults({ rules: [{ endpoint: 'submit', kind: 'duplicate', times: 1 }] });
    const first = await c.submit(submission);
    expect(first.duplicate).toBe(false);
    // The stray second copy sits on the kept-alive connection: the next requests are either
    // answered rightly or refused as retryable, never answered with the stray copy.
    const answers: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      try {
        answers.push(await c.lookupEntity('070240022228'));
      } catch (e) {
        expect(e).toMatchObject({ code: 'GATEWAY_BAD_RESPONSE', retryable: true });
      }
    }
    expect(answers.length).toBeGreaterThanOrEqual(2);
    for (const a of answers) expect(a).toMatchObject({ bin: '070240022228' });
    const after = await rig.admin.stats();
    expect(after.submissions - before.submissions).toBe(1);
    expect(after.duplicateDeliveries - before.duplicateDeliveries).toBe(1);
    expect(after.duplicateRegistrations).toBe(0);
  });

  it('is deterministic for a seed: the same requests meet the same faults', async () => {
    const run = async () => {
      await rig.admin.setFaults({ seed: 42, rules: [{ endpoint: '*', kind: 'error', status: 502, rate: 0.4 }] });
      const c = rig.client();
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++) outcomes.push(await lookup(c).then(() => 'ok', (e: { code: string }) => e.code));
      return outcomes;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((o) => o === 'ok').length).toBeGreaterThan(5);
    expect(a.filter((o) => o === 'GATEWAY_SERVER_ERROR').length).toBeGreaterThan(2);
  });

  it('per-endpoint rules leave other endpoints alone', async () => {
    await rig.admin.setFaults({ rules: [{ endpoint: 'entity', kind: 'error', status: 500 }] });
    const c = rig.client();
    expect(await lookup(c)).toMatchObject({ status: 'active' });
    expect(await caught(c.lookupEntity('070240022228'))).toMatchObject({ code: 'GATEWAY_SERVER_ERROR' });
  });
});

describe('clock skew', () => {
  for (const hours of [-1, 1]) {
    it(`${hours > 0 ? '+' : ''}${hours} h on the workstation's clock changes nothing`, async () => {
      const skew = hours * 3600_000;
      const now = () => new Date(Date.now() + skew);
      const c = rig.client({ now });
      expect(await c.lookupPowerOfAttorney({ number: 'NT-2024-0000877', principal: { kind: 'iin', number: '900702400457' }, representativeIin: '950512400017' })).toMatchObject({ status: 'expired' });
      const { submission, documents } = await signedRequest(rig.pki, { signingTime: now() });
      await uploadAll(c, documents);
      const sent = Date.now();
      const receipt = await c.submit(submission);
      // The server's own time, whatever the workstation's clock says: within the call, not an hour off.
      expect(Date.parse(receipt.receivedAt)).toBeGreaterThanOrEqual(sent - 1000);
      expect(Date.parse(receipt.receivedAt)).toBeLessThanOrEqual(Date.now() + 1000);
      await rig.admin.decide(receipt.registrationNumber, 'approve');
      const s = await c.status(receipt.registrationNumber);
      expect(s.status).toBe('result_ready');
      await c.downloadResult(receipt.registrationNumber, s.result!);
      expect(await c.acknowledgeIssued(receipt.registrationNumber)).toMatchObject({ status: 'issued', duplicate: false });
      // 429's wait is the server's number of seconds, not a date judged by our clock.
      await rig.admin.setFaults({ rules: [{ endpoint: 'status', kind: 'rateLimit', retryAfterSeconds: 5, times: 1 }] });
      expect(await caught(c.status(receipt.registrationNumber))).toMatchObject({ code: 'GATEWAY_RATE_LIMITED', params: { seconds: 5 } });
    });
  }
});
