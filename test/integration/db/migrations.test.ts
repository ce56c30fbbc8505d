/**
 * Every migration, applied to a database created at every earlier version and holding realistic
 * data: the data survives, the new constraints hold, and the result has exactly the schema of a
 * database created fresh at the latest version.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src-main/audit/audit-log.js';
import { openDatabase, type Db } from '../../../src-main/db/database.js';
import { applicantNumberHash } from '../../../src-main/db/keys.js';
import { applyMigrations, currentVersion } from '../../../src-main/db/migrate.js';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.js';
import { StepEventsRepo } from '../../../src-main/db/repos/step-events.js';
import { makeIin } from '../../support/store-fixture.js';

const LATEST = MIGRATIONS.length;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dbAt(version: number): Db {
  const dir = mkdtempSync(join(tmpdir(), 'qab-mig-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'q.sqlite'), { migrate: false });
  applyMigrations(db, MIGRATIONS, version);
  expect(currentVersion(db)).toBe(version);
  return db;
}

const T0 = '2026-11-20T09:00:00.000Z';
const OPERATOR = 'op-1';

/** Rows as version 1 wrote them: 3 applicants, 3 requests at different stages, with everything they had. */
function fillV1(db: Db): { requests: string[]; manifests: Buffer[] } {
  db.prepare(`INSERT INTO operators (id, login, full_name, iin, role, password_hash, created_at) VALUES (?, 'operator', 'Омаров Ерлан Серікұлы', '850315300128', 'operator', 'scrypt$x', ?)`).run(OPERATOR, T0);
  const requests: string[] = [];
  const manifests: Buffer[] = [];
  for (let i = 0; i < 3; i++) {
    const applicantId = `ap-${i}`;
    db.prepare(
      `INSERT INTO applicants (id, kind, number, name, date, registry_status, verified, registry_json, fetched_at) VALUES (?, 'iin', ?, ?, '1990-01-01', 'active', ?, '{}', ?)`,
    ).run(applicantId, makeIin(i), `Өтініш беруші ${i}`, i % 2, i % 2 ? T0 : null);
    const id = randomUUID();
    requests.push(id);
    const status = ['applicant_verified', 'queued', 'registered'][i]!;
    db.prepare(
      `INSERT INTO requests (id, local_number, service_id, sub_service_id, applicant_id, operator_id, status, registration_number, form_json, created_at, updated_at)
       VALUES (?, ?, 'emission-permit-almaty', 'cat-4', ?, ?, ?, ?, '{"note":"ескерту"}', ?, ?)`,
    ).run(id, `ALM-01-W01-2026-00000${i + 1}`, applicantId, OPERATOR, status, i === 2 ? 'KZ26SBX00000001' : null, T0, T0);
    db.prepare(`INSERT INTO document_slots (request_id, slot_id, required, presented, original, position) VALUES (?, 'application', 1, 1, 1, 0)`).run(id);
    db.prepare(
      `INSERT INTO pages (id, request_id, slot_id, position, sha256, size, media_type, rotation, source, created_at) VALUES (?, ?, 'application', 1, ?, 1000, 'image/jpeg', 90, 'scanner', ?)`,
    ).run(`pg-${i}`, id, String(i).repeat(64), T0);
    const path = ['draft', 'applicant_verified', 'documents_complete', 'signed', 'queued', 'sent', 'registered'];
    const upto = path.indexOf(status);
    for (let k = 0; k <= upto; k++) {
      if (status === 'applicant_verified' && k > 1) break;
      db.prepare(`INSERT INTO status_history (request_id, from_status, to_status, step, actor, at) VALUES (?, ?, ?, 'P5', ?, ?)`).run(id, k ? path[k - 1] : null, path[k], OPERATOR, T0);
    }
    if (i > 0) {
      const manifest = Buffer.from(JSON.stringify({ requestId: id, applicant: { number: makeIin(i) } }));
      manifests.push(manifest);
      db.prepare(`INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES (?, ?, ?, ?, ?, '{}', ?)`).run(
        `sig-${i}`,
        id,
        manifest,
        'f'.repeat(64),
        Buffer.alloc(1800, i),
        T0,
      );
      db.prepare(
        `INSERT INTO outbox (id, request_id, kind, idempotency_key, state, attempts, next_attempt_at, last_error, created_at, done_at) VALUES (?, ?, 'submit', ?, ?, ?, ?, ?, ?, ?)`,
      ).run(`ob-${i}`, id, `${id}:sig-${i}`, i === 2 ? 'done' : 'pending', i, T0, i === 1 ? 'GATEWAY_TIMEOUT' : null, T0, i === 2 ? T0 : null);
    }
  }
  db.prepare(`INSERT INTO counters (name, value) VALUES ('local_number:2026', 3)`).run();
  return { requests, manifests };
}

/** Rows only version 2 could hold: a representative, a decision, a result, a receipt, upload progress. */
function fillV2(db: Db, requestId: string): void {
  db.prepare(`INSERT INTO request_representatives (request_id, iin, name, poa_number, poa_date, created_at) VALUES (?, '900702400457', 'Өкіл', '17', '2026-10-01', ?)`).run(requestId, T0);
  db.prepare(`INSERT INTO decisions (id, request_id, kind, reasons_json, decided_at, received_at) VALUES ('dec-1', ?, 'result_ready', '[]', ?, ?)`).run(requestId, T0, T0);
  db.prepare(`INSERT INTO results (id, request_id, decision_id, sha256, size, media_type, cms, verification, received_at) VALUES ('res-1', ?, 'dec-1', ?, 10, 'application/pdf', x'3082', 'valid', ?)`).run(
    requestId,
    'a'.repeat(64),
    T0,
  );
  db.prepare(`INSERT INTO receipts (id, request_id, kind, number, sha256, size, created_at) VALUES ('rc-1', ?, 'acceptance', 'R-1', ?, 20, ?)`).run(requestId, 'b'.repeat(64), T0);
  db.prepare(`INSERT INTO upload_progress (sha256, size, chunk_size, chunks_confirmed, complete, updated_at) VALUES (?, 3000000, 1048576, 2, 0, ?)`).run('1'.repeat(64), T0);
}

function schema(db: Db): string[] {
  return (db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex%' ORDER BY type, name`).all() as { type: string; name: string; sql: string | null }[]).map(
    (r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ').replace(/"/g, '')}`,
  );
}

const fails = (fn: () => unknown) => expect(fn).toThrow();

describe('migrations', () => {
  it('are numbered 1..N without gaps, and an empty database migrates to the latest schema', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST }, (_, i) => i + 1));
    const db = dbAt(LATEST);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(new AuditLog(db).verify()).toMatchObject({ ok: true, entries: 1 });
  });

  for (let from = 1; from < LATEST; from++) {
    it(`from version ${from} with data to ${LATEST}: data survives, new constraints hold, schema equals a fresh one`, () => {
      const db = dbAt(1);
      const { requests, manifests } = fillV1(db);
      if (from >= 2) {
        applyMigrations(db, MIGRATIONS, 2);
        fillV2(db, requests[2]!);
      }
      applyMigrations(db, MIGRATIONS, from);
      const historyRows = (db.prepare('SELECT COUNT(*) AS n FROM status_history').get() as { n: number }).n;
      const applied = applyMigrations(db, MIGRATIONS);
      expect(applied).toEqual(Array.from({ length: LATEST - from }, (_, i) => from + 1 + i));
      expect(currentVersion(db)).toBe(LATEST);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

      // Same schema as a database created at the latest version.
      expect(schema(db)).toEqual(schema(dbAt(LATEST)));

      // The data survived.
      expect((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n).toBe(3);
      expect(db.prepare('SELECT status, registration_number, form_json FROM requests ORDER BY local_number').all()).toEqual([
        { status: 'applicant_verified', registration_number: null, form_json: '{"note":"ескерту"}' },
        { status: 'queued', registration_number: null, form_json: '{"note":"ескерту"}' },
        { status: 'registered', registration_number: 'KZ26SBX00000001', form_json: '{"note":"ескерту"}' },
      ]);
      expect((db.prepare('SELECT manifest FROM signatures ORDER BY id').all() as { manifest: Buffer }[]).map((r) => r.manifest)).toEqual(manifests);
      expect(db.prepare('SELECT rotation, source FROM pages ORDER BY id').all()).toEqual(Array(3).fill({ rotation: 90, source: 'scanner' }));
      expect(db.prepare('SELECT id, state, attempts, last_error, outcome, superseded_at FROM outbox ORDER BY id').all()).toEqual([
        { id: 'ob-1', state: 'pending', attempts: 1, last_error: 'GATEWAY_TIMEOUT', outcome: null, superseded_at: null },
        { id: 'ob-2', state: 'done', attempts: 2, last_error: null, outcome: null, superseded_at: null },
      ]);
      expect(db.prepare(`SELECT value FROM counters WHERE name = 'local_number:2026'`).get()).toEqual({ value: 3 });
      // Applicants are found by their keyed hash, and the clear number is still there to send.
      for (let i = 0; i < 3; i++) {
        expect(db.prepare('SELECT id, number, name FROM applicants WHERE number_hash = ?').get(applicantNumberHash(db, 'iin', makeIin(i)))).toEqual({
          id: `ap-${i}`,
          number: makeIin(i),
          name: `Өтініш беруші ${i}`,
        });
      }
      if (from >= 2) {
        expect(db.prepare('SELECT iin, poa_number FROM request_representatives').all()).toEqual([{ iin: '900702400457', poa_number: '17' }]);
        expect(db.prepare('SELECT verification FROM results').all()).toEqual([{ verification: 'valid' }]);
        expect(db.prepare('SELECT chunks_confirmed, complete FROM upload_progress').all()).toEqual([{ chunks_confirmed: 2, complete: 0 }]);
      }

      // The audit trail starts with the history carried over, and verifies.
      const audit = new AuditLog(db);
      expect(audit.verify()).toMatchObject({ ok: true, entries: historyRows + 1 });
      expect(audit.entries(requests[2]!).map((e) => e.data.to)).toEqual(['draft', 'applicant_verified', 'documents_complete', 'signed', 'queued', 'sent', 'registered']);

      // The per-status counts start right and follow every change.
      const counts = () => Object.fromEntries((db.prepare('SELECT status, n FROM request_status_counts WHERE n > 0 ORDER BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]));
      expect(counts()).toEqual({ applicant_verified: 1, queued: 1, registered: 1 });
      db.prepare(`UPDATE requests SET status = 'sent' WHERE status = 'queued'`).run();
      expect(counts()).toEqual({ applicant_verified: 1, sent: 1, registered: 1 });

      // The new constraints hold.
      fails(() => db.prepare(`INSERT INTO applicants (id, kind, number, number_hash, name, registry_status, verified) VALUES ('dup', 'iin', ?, ?, 'x', 'active', 1)`).run(makeIin(0), applicantNumberHash(db, 'iin', makeIin(0))));
      fails(() => db.prepare(`INSERT INTO applicants (id, kind, number, number_hash, name, registry_status, verified) VALUES ('half', 'iin', NULL, NULL, 'x', 'active', 1)`).run());
      fails(() => db.prepare(`INSERT INTO signatures (id, request_id, manifest, manifest_sha256, cms, signer_json, signed_at) VALUES ('sig-x', ?, x'00', 'f', x'00', '{}', ?)`).run(requests[1], T0));
      fails(() => db.prepare(`UPDATE signatures SET manifest = NULL WHERE id = 'sig-1'`).run());
      fails(() => db.prepare(`UPDATE outbox SET outcome = 'maybe' WHERE id = 'ob-1'`).run());
      fails(() => db.prepare(`INSERT INTO upload_progress (sha256, size, chunk_size, updated_at) VALUES ('x', 10, 0, ?)`).run(T0));
      fails(() => db.prepare(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 1`).run());
      fails(() => db.prepare(`DELETE FROM audit_log WHERE seq = 1`).run());
      fails(() => db.prepare(`INSERT INTO request_representatives (request_id, iin, name, poa_number, poa_date, created_at) VALUES ('no-such-request', '1', 'x', '1', '2026-01-01', ?)`).run(T0));
    });
  }

  it('14 sets the report mark from the step events as they are: what was reported or set aside is behind it, the rest is reported still, exactly once', () => {
    const at = (version: number, events: ('reported' | 'parked' | 'unreported')[]) => {
      const db = dbAt(version);
      const ins = db.prepare(
        `INSERT INTO step_events (seq, id, kind, operator_id, workstation_id, at, day, run_id, mono_ms, reported_at) VALUES (?, ?, 'login', ?, 'W01', ?, '2026-11-20', 'run', 0, ?)`,
      );
      events.forEach((e, i) => {
        ins.run(i + 1, `ev-${i + 1}`, OPERATOR, T0, e === 'reported' ? T0 : null);
        if (e === 'parked') db.prepare(`INSERT INTO step_report_parks (event_id, code, at) VALUES (?, 'BAD_REQUEST', ?)`).run(`ev-${i + 1}`, T0);
      });
      applyMigrations(db, MIGRATIONS);
      return { db, repo: new StepEventsRepo(db) };
    };
    // Reported in order, one set aside, one acknowledged out of order (5), then two never sent.
    const { db, repo } = at(13, ['reported', 'reported', 'reported', 'parked', 'reported', 'unreported', 'unreported']);
    expect(repo.reportMark()).toBe(5);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'step_events_unreported'`).all()).toEqual([]);
    expect(repo.countUnreported()).toBe(2);
    expect(repo.unreportedWire(10).map((e) => e.id)).toEqual(['ev-6', 'ev-7']);
    // Acknowledged out of order: the mark waits for the older one, and nothing is reported twice.
    repo.markReported(['ev-7'], T0);
    expect(repo.reportMark()).toBe(5);
    expect(repo.unreportedWire(10).map((e) => e.id)).toEqual(['ev-6']);
    repo.markReported(['ev-6'], T0);
    expect(repo.reportMark()).toBe(7);
    expect(repo.countUnreported()).toBe(0);
    // A new event is after the mark; set aside, the mark passes it.
    db.prepare(`INSERT INTO step_events (id, kind, operator_id, workstation_id, at, day, run_id, mono_ms) VALUES ('ev-8', 'login', ?, 'W01', ?, '2026-11-20', 'run', 0)`).run(OPERATOR, T0);
    expect(repo.unreportedWire(10).map((e) => e.id)).toEqual(['ev-8']);
    repo.park(['ev-8'], 'BAD_REQUEST', T0);
    expect(repo.reportMark()).toBe(8);
    expect(repo.unreportedWire(10)).toEqual([]);
    // Everything reported: the mark is the last event; no events: 0; nothing reported: before the first.
    expect(at(13, ['reported', 'parked', 'reported']).repo.reportMark()).toBe(3);
    expect(at(13, []).repo.reportMark()).toBe(0);
    expect(at(8, ['unreported', 'reported']).repo.reportMark()).toBe(0);
  });

  it('15 rebuilds step_events without the id index and keeps every event, seq and set-aside event; reporting and claiming go on by seq', () => {
    const db = dbAt(1);
    const { requests } = fillV1(db);
    applyMigrations(db, MIGRATIONS, 14);
    const ins = db.prepare(
      `INSERT INTO step_events (seq, id, kind, step, request_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, reported_at, refusal_id)
       VALUES (?, ?, ?, ?, ?, ?, 'W01', ?, '2026-11-20', 'run', ?, ?, ?, ?, ?)`,
    );
    ins.run(10, 'ev-login', 'login', 'P1', null, OPERATOR, T0, 1, 5000, 'monotonic', T0, null);
    ins.run(11, 'ev-chosen', 'service_chosen', null, requests[1], OPERATOR, T0, 2, null, null, T0, null);
    ins.run(12, 'ev-p4', 'p4_recorded', 'P4', null, OPERATOR, T0, 3, 900, 'wall', null, 'cr-1');
    ins.run(14, 'ev-signed', 'signed', 'P5', requests[1], OPERATOR, T0, 4, 60000, 'monotonic', null, null);
    ins.run(15, 'ev-queued', 'queued', null, requests[1], OPERATOR, T0, 5, null, null, null, null);
    ins.run(16, 'ev-lookup', 'lookup_asked', 'P2', null, OPERATOR, T0, 6, null, null, null, null);
    db.prepare(`INSERT INTO step_report_parks (event_id, code, at) VALUES ('ev-p4', 'BAD_REQUEST', ?)`).run(T0);
    db.prepare(`UPDATE step_report_mark SET through_seq = 12`).run();
    const before = db.prepare('SELECT * FROM step_events ORDER BY seq').all();

    applyMigrations(db, MIGRATIONS, 15);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT * FROM step_events ORDER BY seq').all()).toEqual(before);
    expect(db.prepare('SELECT event_seq, code, at FROM step_report_parks').all()).toEqual([{ event_seq: 12, code: 'BAD_REQUEST', at: T0 }]);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'step_events' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['step_events_counter', 'step_events_refusal', 'step_events_request']);
    // The repository is today's: on with the latest schema (16 keeps every row and seq).
    applyMigrations(db, MIGRATIONS);
    // The events still to report, by the mark; acknowledged and set aside by the ids the backend knows.
    const repo = new StepEventsRepo(db);
    expect(repo.unreportedWire(10).map((e) => e.id)).toEqual(['ev-signed', 'ev-queued', 'ev-lookup']);
    repo.markReported(['ev-signed', 'ev-queued'], T0);
    expect(repo.reportMark()).toBe(15);
    repo.park(['ev-lookup'], 'BAD_REQUEST', T0);
    expect(repo.reportMark()).toBe(16);
    expect(repo.countUnreported()).toBe(0);
    expect(db.prepare('SELECT e.id FROM step_report_parks k JOIN step_events e ON e.seq = k.event_seq ORDER BY k.event_seq').all()).toEqual([{ id: 'ev-p4' }, { id: 'ev-lookup' }]);
    // A new event after the rebuild follows the last seq; the log-in is claimed by its seq.
    expect(repo.claim([10], { requestId: requests[0]! })).toEqual([10]);
    expect(db.prepare(`SELECT request_id FROM step_events WHERE id = 'ev-login'`).get()).toEqual({ request_id: requests[0] });
    // A set-aside event's seq must be an event's.
    fails(() => db.prepare(`INSERT INTO step_report_parks (event_seq, code, at) VALUES (99, 'X', ?)`).run(T0));
  });

  it('16 chains the events of each request from its row and decides once what each counts; the request index goes, and openers, timers and reports are found as before', () => {
    const db = dbAt(1);
    const { requests } = fillV1(db);
    applyMigrations(db, MIGRATIONS, 15);
    const [a, b] = [requests[1]!, requests[2]!];
    const ins = db.prepare(
      `INSERT INTO step_events (seq, id, kind, step, request_id, operator_id, workstation_id, at, day, run_id, mono_ms, duration_ms, clock, screen, outcome, refusal_id, reported_at)
       VALUES (?, ?, ?, ?, ?, ?, 'W01', ?, '2026-11-20', 'run', ?, NULL, NULL, ?, ?, ?, ?)`,
    );
    const ev = (seq: number, kind: string, request: string | null, o: { screen?: string; outcome?: string; refusal?: string; reported?: boolean } = {}) =>
      ins.run(seq, `ev-${seq}`, kind, null, request, OPERATOR, T0, seq, o.screen ?? null, o.outcome ?? null, o.refusal ?? null, o.reported ? T0 : null);
    // Request a: its log-in claimed, opened, signed, queued, failed, re-opened, signed and queued again, sent.
    ev(1, 'login', a, { reported: true });
    ev(2, 'service_chosen', a, { reported: true });
    ev(3, 'login', null); // another operator's session, claimed by nothing
    ev(4, 'screen_ready', a, { screen: 'documents' });
    ev(5, 'signed', a);
    ev(6, 'queued', a);
    ev(7, 'p4_recorded', null, { outcome: 'not_found', refusal: 'cr-1' });
    ev(8, 'service_chosen', b);
    ev(9, 'reopened', a);
    ev(10, 'cancelled', b, { outcome: 'incomplete' });
    ev(11, 'signed', a);
    ev(12, 'queued', a);
    ev(13, 'sent', a);
    const before = db.prepare('SELECT * FROM step_events ORDER BY seq').all();

    applyMigrations(db, MIGRATIONS, 16);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const after = db.prepare('SELECT * FROM step_events ORDER BY seq').all() as Record<string, unknown>[];
    // Every row as it was, with its place in its request's chain and what it counts.
    expect(after.map(({ prev_seq: _p, counted: _c, ...rest }) => rest)).toEqual(before);
    expect(after.map((r) => [r.seq, r.prev_seq, r.counted])).toEqual([
      [1, null, null],
      [2, 1, null],
      [3, null, null],
      [4, 2, null],
      [5, 4, null],
      [6, 5, 'accepted'],
      [7, null, 'refused_p4'],
      [8, null, null],
      [9, 6, null],
      [10, 8, 'refused_incomplete'],
      [11, 9, null],
      [12, 11, null], // queued again: accepted once
      [13, 12, null],
    ]);
    const head = (id: string) => db.prepare('SELECT step_head, step_kinds, step_opened FROM requests WHERE id = ?').get(id);
    expect(head(a)).toEqual({ step_head: 13, step_kinds: 1, step_opened: 9 });
    expect(head(b)).toEqual({ step_head: 10, step_kinds: 32, step_opened: 8 });
    expect(head(requests[0]!)).toEqual({ step_head: null, step_kinds: 0, step_opened: null });
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'step_events' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['step_events_counter', 'step_events_refusal']);

    const repo = new StepEventsRepo(db);
    // Openers found by walking back: P5's (the re-opening, not the first opening; the row names it too), P6's, a screen mark.
    expect(repo.lastInChain(13, ['service_chosen', 'reopened'])?.seq).toBe(9);
    expect(repo.opener(9)?.kind).toBe('reopened');
    expect(repo.lastInChain(13, ['queued'])?.seq).toBe(12);
    expect(repo.lastInChain(13, [], ['documents'])?.seq).toBe(4);
    expect(repo.lastInChain(13, ['registered'])).toBeUndefined();
    expect(repo.lastInChain(null, ['queued'])).toBeUndefined();
    expect(repo.lastOfRequest(a)?.seq).toBe(13);
    expect(repo.lastOfRequest(requests[0]!)).toBeUndefined();
    // The report stage sends what each event counts, as decided: accepted once for a.
    expect(repo.unreportedWire(20).map((e) => [e.id, e.counted])).toEqual([
      ['ev-3', null],
      ['ev-4', null],
      ['ev-5', null],
      ['ev-6', 'accepted'],
      ['ev-7', 'refused_p4'],
      ['ev-8', null],
      ['ev-9', null],
      ['ev-10', 'refused_incomplete'],
      ['ev-11', null],
      ['ev-12', null],
      ['ev-13', null],
    ]);
    // The dashboard's latest requests: each with all its events (screen marks aside), found from its head.
    const recent = repo.recentTimed('2026-11-20', '2026-11-20', null, null, 10);
    expect(recent.filter((e) => e.request_id === a).map((e) => e.seq)).toEqual([1, 2, 5, 6, 9, 11, 12, 13]);
    expect(recent.filter((e) => e.request_id === b).map((e) => e.seq)).toEqual([8, 10]);
  });

  it('refuses a database newer than the application, and leaves a failing migration unapplied', () => {
    const db = dbAt(LATEST);
    db.pragma(`user_version = ${LATEST + 1}`);
    expect(() => applyMigrations(db, MIGRATIONS)).toThrow(/newer than this application/);
    const old = dbAt(1);
    fillV1(old);
    const broken = [...MIGRATIONS.slice(0, 2), { version: 3, name: 'broken', up: (d: Db) => d.exec('CREATE TABLE t (x); SELECT no_such_function();') }];
    expect(() => applyMigrations(old, broken)).toThrow();
    expect(currentVersion(old)).toBe(1);
    expect(old.prepare(`SELECT name FROM sqlite_master WHERE name IN ('meta', 't')`).all()).toEqual([]);
    expect(old.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
