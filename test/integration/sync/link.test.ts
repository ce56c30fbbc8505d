/**
 * A maintenance notice never silences the counter, and "Send now" always does something (issue
 * 18), over real HTTPS with mutual TLS against the sandbox:
 *  - a 120 s maintenance that ends after 3 s is noticed by the next probe, at the backoff pace
 *    once the pause reached `maxPauseSeconds`, and at once after "Send now";
 *  - a Retry-After of one day pauses for at most `maxPauseSeconds`, while the operator is still
 *    told the announced end;
 *  - "Send now" pressed 30 times within a second during a pause is ONE probe, and every press
 *    gets its answer (maintenance until …, rate limited, unreachable, sending) within a second;
 *  - 429 and 503 are told apart in the link state;
 *  - the time of the last successful contact.
 */
import { describe, expect, it } from 'vitest';
import type { QueueStatus } from '../../../src-main/contract/model.js';
import { queueRequests, statusCounts, until } from '../../support/sync-fixture.js';
import { syncRigs } from '../../support/sync-rigs.js';

const rigs = syncRigs();

async function setUp(count: number) {
  const rig = await rigs.sandbox({ verifySubmission: undefined, decisionDelayMs: 3_600_000 });
  const w = await rigs.world(rig);
  const ids = await queueRequests(w, { count });
  return { rig, w, ids };
}

const registered = (w: Parameters<typeof statusCounts>[0]) => statusCounts(w).registered ?? 0;

describe('bounded pauses and Send now', () => {
  it('a 120 s maintenance ended after 3 s is noticed by the next probe at the backoff pace, not after 120 s', { timeout: 60_000 }, async () => {
    const { rig, w } = await setUp(3);
    await rig.admin.maintenance(120);
    const events: QueueStatus[] = [];
    // The pause is bounded at 2 s; the offline probe's pace is at most one interval (2 s).
    const engine = w.engine({ intervalSeconds: 2, maxPauseSeconds: 2, backoffBaseSeconds: 0.5, maxBackoffSeconds: 2 }, (s) => events.push(s));
    const t0 = Date.now();
    engine.start();
    await until(() => engine.status().link === 'maintenance', 5_000);
    // The operator is told until when (the server's 120 s), not the 2 s ceiling.
    const untilAt = Date.parse(engine.status().linkUntil!);
    expect(untilAt - t0).toBeGreaterThan(110_000);
    expect(untilAt - t0).toBeLessThan(125_000);
    expect((await rig.admin.stats()).submitCalls).toBe(0);

    await new Promise((r) => setTimeout(r, 3000 - (Date.now() - t0)));
    await rig.admin.maintenance(0);
    const ended = Date.now();
    await until(() => registered(w) === 3, 20_000, () => statusCounts(w));
    // Within the ceiling plus one probe interval (and some slack for a busy machine), far from 120 s.
    expect(Date.now() - ended).toBeLessThan(2_000 + 2_000 + 3_000);
    expect(engine.status()).toMatchObject({ link: 'online', linkUntil: null, online: true });
    expect(events.some((e) => e.link === 'maintenance')).toBe(true);
    await engine.stop();
  });

  it('"Send now" probes at once during a long pause; 30 presses within a second are one probe, each answered within a second', { timeout: 60_000 }, async () => {
    const { rig, w } = await setUp(3);
    // Every health probe answers maintenance for 120 s (counted by the sandbox as a fault each).
    await rig.admin.setFaults({ rules: [{ endpoint: 'health', kind: 'maintenance', retryAfterSeconds: 120 }] });
    const engine = w.engine({ intervalSeconds: 2, maxPauseSeconds: 300 });
    engine.start();
    await until(() => engine.status().link === 'maintenance', 5_000);
    const probes = async () => (await rig.admin.stats()).faultsInjected.maintenance ?? 0;
    const before = await probes();

    // Still in maintenance: thirty presses, one probe, thirty answers naming until when.
    const t = Date.now();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => new Promise((r) => setTimeout(r, i * 30)).then(() => engine.sendNow())));
    expect(Date.now() - t).toBeLessThan(30 * 30 + 1000);
    expect((await probes()) - before).toBe(1);
    for (const a of answers) expect(a).toMatchObject({ outcome: 'maintenance', queued: 3 });
    expect(Date.parse(answers[0]!.until!) - t).toBeGreaterThan(100_000);
    expect(registered(w)).toBe(0);

    // Maintenance over, the engine's own pause has two minutes to run: Send now sends at once.
    await rig.admin.clearFaults();
    // (A press within a second of the last probe would share its answer.)
    await new Promise((r) => setTimeout(r, 1100));
    const pressed = Date.now();
    const answer = await engine.sendNow();
    expect(Date.now() - pressed).toBeLessThan(1000);
    expect(answer).toMatchObject({ outcome: 'sending', until: null, queued: 3 });
    await until(() => registered(w) === 3, 10_000, () => statusCounts(w));
    expect(Date.now() - pressed).toBeLessThan(5_000);
    expect(engine.status().lastContactAt).not.toBeNull();
    expect(await engine.sendNow()).toMatchObject({ outcome: 'sending' });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await engine.sendNow()).toMatchObject({ outcome: 'up_to_date', queued: 0 });
    await engine.stop();
  });

  it('a Retry-After of one day pauses for at most maxPauseSeconds; the operator still sees the announced end', { timeout: 60_000 }, async () => {
    const { rig, w } = await setUp(2);
    await rig.admin.setFaults({ rules: [{ endpoint: 'health', kind: 'maintenance', retryAfterSeconds: 86_400, times: 1 }] });
    const engine = w.engine({ intervalSeconds: 1, maxPauseSeconds: 3 });
    const t0 = Date.now();
    engine.start();
    await until(() => engine.status().link === 'maintenance', 5_000);
    expect(Date.parse(engine.status().linkUntil!) - t0).toBeGreaterThan(86_000_000);
    await until(() => registered(w) === 2, 20_000, () => statusCounts(w));
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(2_900);
    expect(took).toBeLessThan(3_000 + 1_000 + 4_000);
    await engine.stop();
  });

  it('tells 429 from 503 in the link state, and an unreachable backend in what Send now answers', { timeout: 60_000 }, async () => {
    const { rig, w } = await setUp(1);
    await rig.admin.setFaults({ rules: [{ endpoint: 'health', kind: 'rateLimit', retryAfterSeconds: 30 }] });
    const engine = w.engine({ intervalSeconds: 1, maxPauseSeconds: 60 });
    engine.start();
    await until(() => engine.status().link === 'rate_limited', 5_000);
    expect(await engine.sendNow()).toMatchObject({ outcome: 'rate_limited' });

    await rig.stop();
    await new Promise((r) => setTimeout(r, 1100));
    const t = Date.now();
    expect(await engine.sendNow()).toMatchObject({ outcome: 'unreachable', until: null });
    expect(Date.now() - t).toBeLessThan(1000);
    expect(engine.status()).toMatchObject({ link: 'offline', online: false });
    await engine.stop();
  });
});
