/**
 * Retry-After as a misbehaving gateway writes it, through the real client over mutual TLS: the
 * sandbox answers 429 or 503 maintenance with the header exactly as given. A date is read against
 * the answer's own Date header; garbage and negative values are refused (seconds 0: the engine's
 * own backoff decides); a huge value is bounded. 429 and 503 stay told apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_AFTER_MAX_SECONDS } from '../../../src-main/gateway/retry-after.js';
import { caught, startGatewayRig, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig;
beforeAll(async () => {
  rig = await startGatewayRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('Retry-After from the wire', () => {
  const inTwoMinutes = () => new Date(Date.now() + 120_000).toUTCString();
  const cases: [string, () => string, 'rateLimit' | 'maintenance', (s: number) => boolean][] = [
    ['an HTTP-date two minutes ahead', inTwoMinutes, 'maintenance', (s) => s >= 118 && s <= 121],
    ['garbage', () => 'after lunch', 'maintenance', (s) => s === 0],
    ['a negative number', () => '-30', 'rateLimit', (s) => s === 0],
    ['a huge number', () => '1000000000000', 'rateLimit', (s) => s === RETRY_AFTER_MAX_SECONDS],
    ['one day', () => '86400', 'maintenance', (s) => s === 86_400],
  ];
  for (const [what, header, kind, ok] of cases) {
    it(`${kind === 'rateLimit' ? '429' : '503 maintenance'} with ${what}`, async () => {
      await rig.admin.setFaults({ rules: [{ endpoint: 'health', kind, retryAfterHeader: header(), times: 1 }] });
      const e = await caught(rig.client().health());
      expect(e.code).toBe(kind === 'rateLimit' ? 'GATEWAY_RATE_LIMITED' : 'GATEWAY_MAINTENANCE');
      const seconds = Number(e.params.seconds);
      expect(ok(seconds), `seconds ${seconds}`).toBe(true);
      expect(await rig.client().health()).toMatchObject({ ok: true });
    });
  }
});
