/**
 * The regulation's clock through the contract over real HTTP, against the sandbox: an acceptance,
 * a P4 refusal and an incomplete-documents refusal at the counter, with scripted step times; then
 * the supervisor's dashboard counts them, times their steps against the norms and lists them.
 * An operator may not see the dashboard; a cancelled request's events are kept and marked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../../../src-main/calendar/index.js';
import { startWithinOneDay } from '../../support/centre-day.js';
import { presentRequiredDocuments, startStack, type Stack } from '../../support/stack.js';
import { scriptedClock } from '../../support/step-clock.js';
import { StepReports as SandboxReports } from '../../../sandbox/reports.js';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const SERVICE = { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4' };
const S = 1000;
// The signing certificates of the test PKI are valid from now: the scripted clock starts now
// (or just after the Centre's midnight, when the steps' few scripted minutes would straddle it).
const START = startWithinOneDay(30 * 60_000);
const TODAY = localDateOf(new Date(START));

describe("the supervisor's dashboard", () => {
  it('counts and times an acceptance, a P4 refusal and an incomplete-documents refusal', async () => {
    const clock = scriptedClock(START);
    stack = await startStack({ signing: true, host: { stepClock: clock, now: clock.now } });
    const s = stack;
    await s.ok('step.screenReady', { screen: 'login', requestId: null, latencyMs: 120 });
    clock.advance(40 * S);
    await s.login(); // P1: 40 s
    const accept = async (number: string, complete: boolean) => {
      await s.ok('step.screenReady', { screen: 'service', requestId: null, latencyMs: 80 });
      clock.advance(25 * S);
      await s.ok('step.screenReady', { screen: 'applicant', requestId: null, serviceId: SERVICE.serviceId, latencyMs: 60 });
      await s.ok('applicant.lookup', { kind: 'iin', number });
      let r = await s.ok('request.create', { ...SERVICE, applicant: { kind: 'iin', number, manualName: null } });
      clock.advance(complete ? 120 * S : 30 * S);
      if (!complete) return (await s.ok('request.refuse', { requestId: r.id, ground: 'incomplete' })).request;
      r = await presentRequiredDocuments(s, r);
      return s.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
    };
    const accepted = await accept('900702400457', true);
    expect(accepted.status).toBe('queued');
    const refused = await accept('850315300128', false);
    expect(refused.status).toBe('cancelled');
    // P4: the registry does not know the applicant.
    await s.ok('step.screenReady', { screen: 'applicant', requestId: null, serviceId: SERVICE.serviceId, latencyMs: 60 });
    const p4 = await s.api('applicant.lookup', { kind: 'iin', number: '930815400010' });
    expect(p4.ok ? null : p4.error.code).toBe('APPLICANT_NOT_FOUND');
    clock.advance(5 * S);
    await s.host.sync.runOnce();
    // The sync engine's step-reports stage sent every event, once.
    const local = (s.host.db.prepare('SELECT COUNT(*) AS n FROM step_events').get() as { n: number }).n;
    expect(new SandboxReports(s.sandbox!.db).stats()).toEqual({ events: local, duplicateDeliveries: 0, workstations: 1 });
    expect(s.host.db.prepare('SELECT COUNT(*) AS n FROM step_events WHERE reported_at IS NULL').get()).toEqual({ n: 0 });

    // The questionnaire after the counter refusal: stored once, against the service.
    await s.ok('questionnaire.submit', { requestId: refused.id, quality: 2, information: 3 });
    const twice = await s.api('questionnaire.submit', { requestId: refused.id, quality: 3, information: 3 });
    expect(twice.ok ? null : twice.error.code).toBe('QUESTIONNAIRE_ALREADY_ANSWERED');
    const early = await s.api('questionnaire.submit', { requestId: accepted.id, quality: 3, information: 3 });
    expect(early.ok ? null : early.error.code).toBe('QUESTIONNAIRE_NOT_OFFERED');

    // An operator is not a supervisor.
    const denied = await s.api('report.dashboard', { from: TODAY, to: TODAY, scope: 'workstation' });
    expect(denied.ok ? null : denied.error.code).toBe('FORBIDDEN');
    await s.ok('auth.login', { login: 'supervisor', password: 'supervisor123' });
    const d = await s.ok('report.dashboard', { from: TODAY, to: TODAY, scope: 'workstation' });
    expect(d).toMatchObject({ scope: 'workstation', scopeNote: 'requested', today: TODAY, workstations: 1 });
    expect(d.counts.today).toEqual({ accepted: 1, refusedIncomplete: 1, refusedP4: 1, registered: 1, decided: 0, issued: 0 });
    const svc = d.byService.find((x) => x.serviceId === SERVICE.serviceId)!;
    expect(svc.period).toEqual(d.counts.period);
    expect(svc.name.kk).toBeTruthy();
    const step = (id: string) => d.steps.find((x) => x.step === id && x.serviceId === (id === 'P1' ? null : SERVICE.serviceId));
    expect(step('P1')).toMatchObject({ count: 1, medianMs: 40 * S, normMs: 60 * S, overNormShare: 0 });
    expect(step('P2')).toMatchObject({ count: 2, medianMs: 25 * S, normMs: 120 * S });
    // P5: the acceptance's 120 s and the refusal's 30 s (a refusal to accept the documents closes P5).
    expect(step('P5')).toMatchObject({ count: 2, medianMs: 75 * S, normMs: 30 * 60 * S, overNormShare: 0 });
    expect(step('P4')).toMatchObject({ count: 1, normMs: 120 * S });
    expect(step('P7')?.count).toBe(1);
    // The service screen's latency (the app's own time, apart from the operator's) belongs to P2.
    expect(d.steps.find((x) => x.step === 'P2' && x.serviceId === null)!.appLatency).toMatchObject({ count: 2, medianMs: 80 });

    // The three, newest first, with their step times; the cancelled one kept and marked.
    const outcomes = d.requests.map((r) => r.outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['registered', 'refused_incomplete', 'refused_p4']));
    const cancelled = d.requests.find((r) => r.requestId === refused.id)!;
    expect(cancelled.marks).toEqual(['cancelled']);
    const done = d.requests.find((r) => r.requestId === accepted.id)!;
    expect(done.steps.find((x) => x.step === 'P5')).toEqual({ step: 'P5', ms: 120 * S, overNorm: false });
    expect(d.requests.find((r) => r.outcome === 'refused_p4')).toMatchObject({ requestId: null, serviceId: SERVICE.serviceId });
    expect(d.indicators).toEqual(
      expect.arrayContaining([
        { serviceId: SERVICE.serviceId, question: 'quality', answers: { '1': 0, '2': 1, '3': 0 }, total: 1, satisfiedShare: 0 },
        { serviceId: SERVICE.serviceId, question: 'information', answers: { '1': 0, '2': 0, '3': 1 }, total: 1, satisfiedShare: 1 },
      ]),
    );

    // The Centre's view (from the backend's report endpoint) says so and holds the same counts.
    const centre = await s.ok('report.dashboard', { from: TODAY, to: TODAY, scope: 'centre' });
    expect(centre).toMatchObject({ scope: 'centre', scopeNote: 'requested', workstations: 1 });
    expect(centre.counts).toEqual(d.counts);
    expect(centre.steps.find((x) => x.step === 'P5' && x.serviceId === SERVICE.serviceId)).toEqual(step('P5'));
    // Backend gone: the dashboard shows this workstation and says why.
    await s.stopSandbox();
    await s.host.sync.runOnce();
    const offline = await s.ok('report.dashboard', { from: TODAY, to: TODAY, scope: 'centre' });
    expect(offline).toMatchObject({ scope: 'workstation', scopeNote: 'centre_unreachable', workstations: 1 });
    expect(offline.counts).toEqual(d.counts);

    // A period the wrong way round is refused with its own code.
    const bad = await s.api('report.dashboard', { from: TODAY, to: '2020-01-01', scope: 'workstation' });
    expect(bad.ok ? null : bad.error.code).toBe('REPORT_PERIOD_INVALID');
    // The step norms, and the timer of the registered request (C2 now: 2 min norm in seed 003).
    const norms = await s.ok('report.stepNorms', { serviceId: SERVICE.serviceId });
    expect(norms.services[0]!.steps.map((n) => n.step)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'C2', 'P9']);
    clock.advance(7 * S);
    expect(await s.ok('step.timer', { requestId: accepted.id })).toEqual({ step: 'C2', serviceId: SERVICE.serviceId, elapsedMs: 7 * S, normMs: 120 * S, nearMs: 96 * S });
  });
});
