/**
 * Retry-After as a misbehaving gateway writes it, through the real client over mutual TLS: the
 * sandbox answers 429 or 503 maintenance with the header exactly as given. A date is read against
 * the answer's own Date header; garbage and negative values are refused (seconds 0: the engine's
 * own backoff decides); a huge value is bounded. 429 and 503 stay told apart. The date's
 * seconds are judged against the time the case took, not a fixed margin (a loaded machine).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_AFTER_MAX_SECONDS } from '../../../src-main/gateway/retry-after.js';
import { caught, startGatewayRig, type GatewayRig } from '../../support/gateway.js';

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

describe('Retry-After from the wire', () => {
  const inTwoMinutes = () => new Date(Date.now() + 120_000).toUTCString();
  // `took`: whole seconds from writing the header to the answer (the date has whole seconds).
  const cases: [string, () => string, 'rateLimit' | 'maintenance', (s: number, took: number) => boolean][] = [
    ['an HTTP-date two minutes ahead', inTwoMinutes, 'maintenance', (s, took) => s >= 120 - took && s <= 121],
    ['garbage', () => 'after lunch', 'maintenance', (s) => s === 0],
    ['a negative number', () => '-30', 'rateLimit', (s) => s === 0],
    ['a huge number', () => '1000000000000', 'rateLimit', (s) => s === RETRY_AFTER_MAX_SECONDS],
    ['one day', () => '86400', 'maintenance', (s) => s === 86_400],
  ];
  for (const [what, header, kind, ok] of cases) {
    it(`${kind === 'rateLimit' ? '429' : '503 maintenance'} with ${what}`, async () => {
      const start = Date.now();
      await rig.admin.setFaults({ rules: [{ endpoint: 'health', kind, retryAfterHeader: header(), times: 1 }] });
      const e = await caught(rig.client().health());
      const took = Math.ceil((Date.now() - start) / 1000);
      expect(e.code).toBe(kind === 'rateLimit' ? 'GATEWAY_RATE_LIMITED' : 'GATEWAY_MAINTENANCE');
      const seconds = Number(e.params.seconds);
      expect(ok(seconds, took), `seconds ${seconds} after ${took} s`).toBe(true);
      expect(await rig.client().health()).toMatchObject({ ok: true });
    });
  }
});
