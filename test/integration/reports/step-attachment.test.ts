/**
 * The step times a request is found with (issue 12, what was missing), through the contract over
 * real HTTP against the sandbox, with scripted step durations:
 *  - P1 (the session's log-in), P2 (service screen → look-up asked) and P3 (look-up answered)
 *    happen before the request exists: the request opened next claims them; a P4 refusal (no
 *    request) claims them as well, by its counter refusal's id;
 *  - P9 is timed from the result screen to the handing over;
 *  - a refusal to accept the documents (request.refuse) closes P5;
 *  - the P2 timer shows the service's norm (seed 003 para 10: 2 minutes) once a service is chosen;
 *  - the log-in, the look-up's answer and the P4 are written in the transaction of what they
 *    describe: when the step event cannot be written (a SQLite trigger refuses it), the log-in's
 *    audit entry, the stored applicant and the counter refusal are not written either.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../../../src-main/calendar/index.js';
import type { Dashboard } from '../../../src-main/contract/report.js';
import { startWithinOneDay } from '../../support/centre-day.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';
import { scriptedClock, type ScriptedClock } from '../../support/step-clock.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const SERVICE = { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4' };
const S = 1000;
const P4_IIN = '930815400010';

async function world(): Promise<{ s: Stack; clock: ScriptedClock }> {
  // The signing certificates of the test PKI are valid from now: the scripted clock starts now
  // (or just after the Centre's midnight, when its steps would straddle it).
  const clock = scriptedClock(startWithinOneDay(30 * 60_000));
  stack = await startStack({ signing: true, sandbox: { decisionDelayMs: 200 }, host: { stepClock: clock, now: clock.now } });
  return { s: stack, clock };
}

/** The service screen, `p2` later the applicant screen with the service chosen. */
async function chooseService(s: Stack, clock: ScriptedClock, p2: number): Promise<void> {
  await s.ok('step.screenReady', { screen: 'service', requestId: null, latencyMs: 50 });
  clock.advance(p2);
  await s.ok('step.screenReady', { screen: 'applicant', requestId: null, serviceId: SERVICE.serviceId, latencyMs: 40 });
}

/** The engine's rounds until the provider's result is in (the scripted clock moves with them: its waits are on it). */
async function decided(s: Stack, clock: ScriptedClock, id: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    clock.advance(2 * S);
    await s.host.sync.runOnce();
    if ((await s.ok('request.get', { id })).status === 'result_ready') return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no decision');
}

const stepsOf = (row: Dashboard['requests'][number] | undefined) => Object.fromEntries((row?.steps ?? []).map((x) => [x.step, x.ms]));

describe('step times attached to the request', () => {
  it('finds the acceptance, the P4 refusal and the incomplete refusal with P1-P9 where they apply', { timeout: 120_000 }, async () => {
    const { s, clock } = await world();
    await s.ok('step.screenReady', { screen: 'login', requestId: null, latencyMs: 90 });
    clock.advance(40 * S);
    await s.login();

    // 1. An acceptance. The P2 timer on the applicant screen: the chosen service's norm (2 min).
    await chooseService(s, clock, 20 * S);
    expect(await s.ok('step.timer', { requestId: null, serviceId: SERVICE.serviceId })).toMatchObject({ step: 'P2', serviceId: SERVICE.serviceId, normMs: 120 * S });
    // Asked without the service (the screen's mark names it): the same norm.
    expect(await s.ok('step.timer', { requestId: null })).toMatchObject({ step: 'P2', serviceId: SERVICE.serviceId, normMs: 120 * S });
    await s.ok('applicant.lookup', { kind: 'iin', number: '900702400457' });
    let r = await s.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '900702400457', manualName: null } });
    clock.advance(60 * S);
    r = await presentRequiredDocuments(s, r);
    const accepted = await s.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    await decided(s, clock, accepted.id);
    // P9: the result shown at the counter, handed over 30 s later.
    await s.ok('step.screenReady', { screen: 'result', requestId: accepted.id, serviceId: SERVICE.serviceId, latencyMs: 70 });
    clock.advance(30 * S);
    await s.ok('request.issue', { requestId: accepted.id, recipient: 'applicant', language: 'kk' });

    // 2. A P4 refusal: the registry has no such applicant.
    await chooseService(s, clock, 10 * S);
    const p4 = await s.api('applicant.lookup', { kind: 'iin', number: P4_IIN, serviceId: SERVICE.serviceId, subServiceId: SERVICE.subServiceId });
    expect(p4.ok ? null : p4.error.code).toBe('APPLICANT_NOT_FOUND');

    // 3. Documents incomplete: refused at the counter 45 s after the request opened.
    await chooseService(s, clock, 15 * S);
    await s.ok('applicant.lookup', { kind: 'iin', number: '850315300128' });
    const opened = await s.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number: '850315300128', manualName: null } });
    clock.advance(45 * S);
    const refused = await s.ok('request.refuse', { requestId: opened.id, ground: 'incomplete' });
    expect(refused.request.status).toBe('cancelled');

    await s.ok('auth.login', { login: 'supervisor', password: 'supervisor123' });
    const today = localDateOf(clock.now());
    const d = await s.ok('report.dashboard', { from: today, to: today, scope: 'workstation' });
    const acceptance = d.requests.find((x) => x.requestId === accepted.id);
    // P1 is the session's log-in: the session's first request carries it.
    expect(stepsOf(acceptance)).toMatchObject({ P1: 40 * S, P2: 20 * S, P3: 0, P5: 60 * S, P9: 30 * S });
    for (const step of ['P6', 'P7', 'C2']) expect(stepsOf(acceptance)[step], step).toEqual(expect.any(Number));
    expect(acceptance!.outcome).toBe('issued');
    const refusalP4 = d.requests.find((x) => x.outcome === 'refused_p4');
    expect(refusalP4).toMatchObject({ requestId: null, serviceId: SERVICE.serviceId });
    expect(stepsOf(refusalP4)).toEqual({ P2: 10 * S, P4: 0 });
    const incomplete = d.requests.find((x) => x.requestId === opened.id);
    expect(incomplete).toMatchObject({ outcome: 'refused_incomplete', marks: ['cancelled'] });
    expect(stepsOf(incomplete)).toEqual({ P2: 15 * S, P3: 0, P5: 45 * S });
    expect(d.counts.today).toMatchObject({ accepted: 1, refusedIncomplete: 1, refusedP4: 1, issued: 1 });
  });

  it('writes the log-in, the look-up answer and the P4 in the transaction of what they describe', { timeout: 60_000 }, async () => {
    const { s } = await world();
    const db = s.host.db;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const refuse = (kind: string) => db.exec(`CREATE TRIGGER no_${kind} BEFORE INSERT ON step_events WHEN NEW.kind = '${kind}' BEGIN SELECT RAISE(ABORT, 'disk gone'); END`);

    // The step event of a log-in cannot be written: no audit entry of a log-in, no session.
    refuse('login');
    expect((await s.api('auth.login', { login: 'operator', password: 'operator123' })).ok).toBe(false);
    expect(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.login'")).toBe(0);
    expect(await s.ok('auth.session', {})).toMatchObject({ operator: null });
    db.exec('DROP TRIGGER no_login');
    await s.login();
    expect(count("SELECT COUNT(*) AS n FROM step_events WHERE kind = 'login'")).toBe(1);

    // The answer's event cannot be written: the registry's answer is not stored either.
    refuse('lookup_answered');
    expect((await s.api('applicant.lookup', { kind: 'iin', number: '900702400457' })).ok).toBe(false);
    expect(count('SELECT COUNT(*) AS n FROM applicants')).toBe(0);
    db.exec('DROP TRIGGER no_lookup_answered');

    // The P4's event cannot be written: no counter refusal is recorded.
    refuse('p4_recorded');
    const p4 = await s.api('applicant.lookup', { kind: 'iin', number: P4_IIN });
    expect(p4.ok ? null : p4.error.code).not.toBe('APPLICANT_NOT_FOUND');
    expect(count('SELECT COUNT(*) AS n FROM counter_refusals')).toBe(0);
    db.exec('DROP TRIGGER no_p4_recorded');
    const again = await s.api('applicant.lookup', { kind: 'iin', number: P4_IIN });
    expect(again.ok ? null : again.error.code).toBe('APPLICANT_NOT_FOUND');
    expect(count('SELECT COUNT(*) AS n FROM counter_refusals')).toBe(1);
    expect(count("SELECT COUNT(*) AS n FROM step_events WHERE kind = 'p4_recorded' AND refusal_id = (SELECT id FROM counter_refusals)")).toBe(1);
  });
});
