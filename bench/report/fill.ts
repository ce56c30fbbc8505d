/**
 * bench/report's data: 90 days of a large Centre's counters on one store, as the app would have
 * written them, ending at the store's "now".
 *
 * - 40 operators, every service and sub-service of the catalogue, a working day 09:00-18:00
 *   (Almaty) on the Kazakh working-day calendar; each operator logs in every working day (P1).
 * - Each applicant's visit is one request's Diagram 3 walk: the service screen, the applicant
 *   screen and the look-up (P2, P3), the request opened, the documents screen, a scan, documents
 *   marked, signed (P5), queued (accepted), then sent (P6), registered (P7), decided (C2) and, when
 *   the applicant comes back, the result screen and the handing over (P9). 2 % of visits end in
 *   P4 (the registry does not know the applicant: no request), 3 % are refused at the counter
 *   (documents incomplete: cancelled).
 * - The provider decides within the regulation's deadline (the one deadline rule, by the
 *   catalogue's unit) for 97 % of requests, up to 20 % later for the rest; applicants collect
 *   within a week. So at "now" the open requests are the last weeks' (their deadline runs), as
 *   at a real Centre, not a fixed share of every status.
 * - Everything the backend acknowledged (older than an hour) is marked reported, and the report
 *   mark (migration 014) is set past it.
 *
 * Requests get their due date as RequestService stores it (requests/due-date.ts). The roll-ups
 * are made by the app's own fold (db/repos/step-rollups.ts), timed; the last `tail` events are
 * written after it, unfolded, as a reader meets them between folds.
 */
import type { Catalog } from '../../src-main/catalog/catalog.js';
import { kzCalendar, localDateOf } from '../../src-main/calendar/index.js';
import type { Db } from '../../src-main/db/database.js';
import { newId } from '../../src-main/db/ids.js';
import { applicantNumberHash } from '../../src-main/db/keys.js';
import { COUNTED_KIND_BIT, countedOutcome, StepRollupsRepo } from '../../src-main/db/repos/step-rollups.js';
import { resultDueDate } from '../../src-main/requests/due-date.js';
import { makeIin } from '../../test/support/store-fixture.js';

const MIN = 60_000;
const DAY = 86_400_000;
/** Almaty is UTC+5: 09:00 local is 04:00 UTC. */
const OPEN_UTC_MS = 4 * 3_600_000;

type Ev = [at: number, kind: string, step: string | null, requestIdx: number, svc: string | null, op: string, duration: number | null, latency: number | null, screen: string | null, outcome: string | null];

export interface FillInfo {
  events: number;
  requests: number;
  open: number;
  foldSeconds: number;
  tail: number;
}

export function fillCentre(db: Db, catalog: Catalog, nowMs: number, opts: { events: number; days: number; operators: number; tail: number }): FillInfo {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const cal = kzCalendar();
  const offerings = catalog.services.flatMap((s) => s.subServices.map((sub) => ({ service: s.id, sub: sub.id })));
  const evs: Ev[] = [];
  const reqs: { id: string; svc: string; sub: string; op: string; created: number; accepted: number | null; registered: number | null; status: string; due: string | null }[] = [];
  const startDay = nowMs - opts.days * DAY;
  // Visits per working day, so that the walks give about `events` events (16 for a full walk).
  const workingDays = Array.from({ length: opts.days + 1 }, (_, i) => startDay + i * DAY).filter((d) => cal.isWorkingDay(localDateOf(new Date(d))));
  const perDay = Math.round(opts.events / 15.6 / workingDays.length);
  for (const dayMs of workingDays) {
    const base = Math.floor(dayMs / DAY) * DAY + OPEN_UTC_MS;
    for (let o = 0; o < opts.operators; o++) evs.push([base + between(0, 10 * MIN), 'login', 'P1', -1, null, `op-${o}`, between(20_000, 90_000), between(50, 400), null, null]);
    for (let v = 0; v < perDay; v++) {
      const op = `op-${v % opts.operators}`;
      const { service: svc, sub } = offerings[Math.floor(rand() * offerings.length)]!;
      let t = base + 15 * MIN + rand() * 8.5 * 3_600_000;
      if (t > nowMs) continue;
      const push = (kind: string, step: string | null, req: number, d: number | null, l: number | null, screen: string | null = null, outcome: string | null = null) => {
        evs.push([t, kind, step, req, svc, op, d, l, screen, outcome]);
      };
      const wait = (lo: number, hi: number) => {
        const d = between(lo, hi);
        t += d;
        return d;
      };
      push('screen_ready', 'P2', -1, null, between(20, 250), 'service');
      push('screen_ready', 'P3', -1, null, between(20, 250), 'applicant');
      push('lookup_asked', 'P2', -1, wait(10_000, 70_000), null);
      const fate = rand();
      if (fate < 0.02) {
        push('p4_recorded', 'P4', -1, wait(3_000, 60_000), null, null, 'not_found');
        continue;
      }
      push('lookup_answered', 'P3', -1, wait(3_000, 100_000), null, null, 'found');
      const r = reqs.length;
      reqs.push({ id: newId(t), svc, sub, op, created: t, accepted: null, registered: null, status: 'draft', due: null });
      const opened = t;
      push('service_chosen', null, r, null, null);
      push('screen_ready', 'P5', r, null, between(30, 400), 'documents');
      push('scan_started', null, r, null, null);
      wait(20_000, 120_000);
      push('scan_finished', null, r, null, null, null, 'done');
      if (fate < 0.05) {
        push('cancelled', null, r, null, null, null, 'incomplete');
        reqs[r]!.status = 'cancelled';
        continue;
      }
      push('documents_marked', null, r, null, null);
      wait(30_000, 180_000);
      push('signed', 'P5', r, t - opened, null);
      push('queued', null, r, null, null);
      const q = reqs[r]!;
      q.accepted = t;
      q.status = 'queued';
      q.due = resultDueDate(catalog, { service_id: svc, sub_service_id: sub }, { acceptedAt: new Date(t).toISOString(), registeredAt: null }, new Date(t));
      // The backend's side: minutes to send and register, the provider's decision within (mostly) the deadline.
      const queuedAt = t;
      if ((t += between(MIN, 20 * MIN)) > nowMs) continue;
      push('sent', 'P6', r, t - queuedAt, null);
      q.status = 'sent';
      const sentAt = t;
      if ((t += between(2 * MIN, 30 * MIN)) > nowMs) continue;
      push('registered', 'P7', r, t - sentAt, null);
      q.status = 'under_review';
      q.registered = t;
      q.due = resultDueDate(catalog, { service_id: svc, sub_service_id: sub }, { acceptedAt: new Date(queuedAt).toISOString(), registeredAt: new Date(t).toISOString() }, new Date(t));
      const dueMs = q.due ? Date.parse(`${q.due}T13:00:00Z`) : t + 10 * DAY;
      const registeredAt = t;
      const late = rand() < 0.03;
      t = late ? dueMs + between(DAY, 0.2 * (dueMs - t) + 2 * DAY) : t + between(0.2, 1) * (dueMs - t);
      if (t > nowMs) continue;
      const refused = rand() < 0.08;
      push('decided', 'C2', r, t - registeredAt, null, null, refused ? 'refused' : 'result_ready');
      q.status = refused ? 'refused' : 'result_ready';
      if (refused) continue;
      t += between(3 * 3_600_000, 7 * DAY);
      if (t > nowMs) continue;
      push('screen_ready', 'P9', r, null, between(30, 400), 'result');
      push('handed_over', 'P9', r, wait(60_000, 300_000), null);
      q.status = 'issued';
    }
  }
  evs.sort((a, b) => a[0] - b[0]);
  const open = reqs.filter((r) => ['queued', 'sent', 'registered', 'under_review', 'needs_attention'].includes(r.status)).length;

  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF'); // the operators 'op-N' are names only here
  const insApplicant = db.prepare(`INSERT INTO applicants (id, kind, number, number_hash, name, date, registry_status, verified, fetched_at) VALUES (?, 'iin', ?, ?, ?, '1990-01-01', 'active', 1, ?)`);
  const insRequest = db.prepare(
    `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, registration_number, form_json, created_at, updated_at, registered_at, due_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?)`,
  );
  const insHistory = db.prepare(`INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, ?, ?, ?, ?, ?)`);
  const iso = (ms: number) => new Date(ms).toISOString();
  db.transaction(() => {
    reqs.forEach((r, i) => {
      const iin = makeIin(200_000 + i);
      const applicantId = newId(r.created);
      insApplicant.run(applicantId, iin, applicantNumberHash(db, 'iin', iin), `Өтініш беруші ${i}`, iso(r.created));
      insRequest.run(r.id, `ALM-01-W01-2026-${String(i + 1).padStart(6, '0')}`, r.svc, r.sub, applicantId, r.op, r.status, r.registered ? `KZ26SBX${String(i).padStart(8, '0')}` : null, iso(r.created), iso(r.created), r.registered ? iso(r.registered) : null, r.due);
      insHistory.run(r.id, null, 'draft', 'P2', r.op, iso(r.created));
      if (r.accepted) insHistory.run(r.id, 'signed', 'queued', 'P5', r.op, iso(r.accepted));
      if (r.registered) insHistory.run(r.id, 'sent', 'registered', 'P7', 'sync', iso(r.registered));
    });
    db.prepare(`INSERT INTO counters (name, value) VALUES ('local_number:2026', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(reqs.length);
  })();
  const ins = db.prepare(
    `INSERT INTO step_events (id, kind, step, request_id, service_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, latency_ms, screen, outcome, reported_at, prev_seq, counted)
     VALUES (?, ?, ?, ?, ?, ?, 'W01', ?, ?, 'bench', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Each request's chain of events and the counted kinds it has had (migration 016), as the app keeps them.
  const heads: (number | null)[] = reqs.map(() => null);
  const kinds: number[] = reqs.map(() => 0);
  const opened: (number | null)[] = reqs.map(() => null);
  const write = (from: number, to: number) =>
    db.transaction(() => {
      for (let i = from; i < to; i++) {
        const [at, kind, step, req, svc, op, d, l, screen, outcome] = evs[i]!;
        const iso = new Date(at).toISOString();
        const actor = kind === 'sent' || kind === 'registered' || kind === 'decided' ? 'sync' : op;
        const bit = COUNTED_KIND_BIT[kind] ?? 0;
        const counted = req >= 0 && kinds[req]! & bit ? null : countedOutcome(kind, outcome);
        const seq = Number(
          ins.run(newId(at), kind, step, req >= 0 ? reqs[req]!.id : null, svc, actor, iso, localDateOf(new Date(at)), d, d === null ? null : 'monotonic', l, screen, outcome, at < nowMs - 3_600_000 ? iso : null, req >= 0 ? heads[req] : null, counted)
            .lastInsertRowid,
        );
        if (req >= 0) {
          heads[req] = seq;
          kinds[req]! |= bit;
          if (kind === 'service_chosen' || kind === 'reopened') opened[req] = seq;
        }
      }
    })();
  const folded = Math.max(0, evs.length - opts.tail);
  for (let i = 0; i < folded; i += 50_000) write(i, Math.min(folded, i + 50_000));
  const t0 = performance.now();
  new StepRollupsRepo(db).fold();
  const foldSeconds = (performance.now() - t0) / 1000;
  write(folded, evs.length);
  const setHead = db.prepare('UPDATE requests SET step_head = ?, step_kinds = ?, step_opened = ? WHERE id = ?');
  db.transaction(() => reqs.forEach((r, i) => setHead.run(heads[i], kinds[i], opened[i], r.id)))();
  // Reported oldest first: the report mark (migration 014) is just before the first unreported event.
  db.prepare(`UPDATE step_report_mark SET through_seq = COALESCE((SELECT seq - 1 FROM step_events WHERE reported_at IS NULL ORDER BY seq LIMIT 1), (SELECT MAX(seq) FROM step_events), 0)`).run();
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('optimize');
  return { events: evs.length, requests: reqs.length, open, foldSeconds, tail: evs.length - folded };
}

export type { Catalog };
