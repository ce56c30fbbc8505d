/**
 * What the sandbox does for each protocol v1 message (docs/gateway-protocol.md): the registries
 * (registries.ts), resumable chunked uploads (uploads.ts), submissions with their checks and
 * registration numbers, the provider's decision and result, and the acknowledgement of issue. Pure request → answer logic
 * over the SQLite file and the data folder; server.ts adds transport, TLS and faults.
 */
import { mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nextCounter, type SandboxDb } from './db.js';
import { bad, HttpError, int, parseJsonObject, str, type Answer } from './http-util.js';
import { MAX_JSON, PROTOCOL, SHA, sha256, type BodyReader } from './protocol.js';
import { Registries } from './registries.js';
import { Uploads } from './uploads.js';
import { issuePermit, type ProviderKey, type ServiceInfo } from './permit.js';
import { REFUSAL_REASONS } from './registry-seed.js';
import type { SubmissionVerifier } from './verify.js';

export { PROTOCOL, type BodyReader } from './protocol.js';
export { MIN_CHUNK, MAX_CHUNK } from './uploads.js';

const KEY = /^[A-Za-z0-9:_-]{8,128}$/;
const MANIFEST_FORMAT = 'qabyldau.request-manifest/1';

export interface BackendOptions {
  dataDir: string;
  db: SandboxDb;
  now: () => Date;
  log: (msg: string) => void;
  verifySubmission?: SubmissionVerifier;
  provider?: ProviderKey;
  fontFile: string | null;
  catalogue: Map<string, ServiceInfo>;
  decisionDelayMs: number;
  maxDocumentBytes: number;
}

interface SubmissionRow {
  idempotency_key: string;
  registration_number: string;
  content_sha256: string;
  manifest_sha256: string;
  service_id: string;
  applicant_kind: 'iin' | 'bin';
  applicant_number: string;
  applicant_name: string;
  received_at: string;
  decide_at: string;
  status: string;
  decided_at: string | null;
  refusal_json: string | null;
  result_sha256: string | null;
  result_size: number | null;
  issued_at: string | null;
  deliveries: number;
}

export class Backend {
  private deciding = false;
  readonly counters = { submitCalls: 0, duplicateSubmits: 0, chunksReceived: 0 };

  readonly registries: Registries;
  readonly uploads: Uploads;

  /** True while a decision or an assembly is under way (close waits for it). */
  get busy(): boolean {
    return this.deciding || this.decisions.size > 0 || this.uploads.busy;
  }

  constructor(readonly o: BackendOptions) {
    this.registries = new Registries(o.db, o.now);
    this.uploads = new Uploads(o, this.counters);
    mkdirSync(join(o.dataDir, 'results'), { recursive: true });
  }

  private get db() {
    return this.o.db;
  }

  health(): Answer {
    return { status: 200, json: { ok: true, protocol: PROTOCOL, supported: [PROTOCOL], serverTime: this.o.now().toISOString() } };
  }


  // ---- submissions (P6, P7) ----

  async submit(read: BodyReader, clientCertCn: string | null): Promise<Answer> {
    this.counters.submitCalls++;
    const body = parseJsonObject(await read(MAX_JSON));
    const key = str(body.idempotencyKey, KEY, 'idempotencyKey');
    const workstationId = str(body.workstationId, /^[A-Za-z0-9-]{1,16}$/, 'workstationId');
    const centreBin = str(body.centreBin, /^\d{12}$/, 'centreBin');
    const serviceId = str(body.serviceId, /^[A-Za-z0-9_-]{1,64}$/, 'serviceId');
    const subServiceId = body.subServiceId === null || body.subServiceId === undefined ? null : str(body.subServiceId, /^[A-Za-z0-9_-]{1,64}$/, 'subServiceId');
    const manifest = Buffer.from(str(body.manifest, /^[A-Za-z0-9+/]+={0,2}$/, 'manifest'), 'base64');
    const cms = Buffer.from(str(body.cms, /^[A-Za-z0-9+/]+={0,2}$/, 'cms'), 'base64');
    if (!Array.isArray(body.documents) || body.documents.length > 1000) throw bad('documents');
    const documents = (body.documents as { sha256?: unknown; size?: unknown }[]).map((d, i) => ({
      sha256: str(d?.sha256, SHA, `documents.${i}.sha256`),
      size: int(d?.size, 0, Number.MAX_SAFE_INTEGER, `documents.${i}.size`),
    }));
    const contentSha = sha256(JSON.stringify([sha256(manifest), sha256(cms), centreBin, serviceId, subServiceId, documents]));

    const existing = this.byKey(key);
    if (existing) return this.duplicate(existing, contentSha);

    // The workstation's certificate names its Centre: it may submit for that Centre only.
    const certBin = clientCertCn ? /(\d{12})/.exec(clientCertCn)?.[1] : undefined;
    if (certBin && certBin !== centreBin) throw new HttpError(403, 'WORKSTATION_NOT_AUTHORISED');

    const m = this.parseManifest(manifest);
    if (m.centre.bin !== centreBin) throw new HttpError(422, 'MANIFEST_MISMATCH', false, { field: 'centreBin' });
    if (m.service.id !== serviceId || (m.service.subService ?? null) !== subServiceId) throw new HttpError(422, 'MANIFEST_MISMATCH', false, { field: 'serviceId' });
    const listed = new Map(m.documents.map((d) => [d.sha256, d.size]));
    const sent = new Map(documents.map((d) => [d.sha256, d.size]));
    if (listed.size !== sent.size || [...listed].some(([h, s]) => sent.get(h) !== s)) throw new HttpError(422, 'MANIFEST_MISMATCH', false, { field: 'documents' });

    const missing = [...listed.keys()].filter((h) => !this.db.prepare('SELECT 1 FROM documents WHERE sha256 = ? AND complete = 1').get(h));
    if (missing.length) throw new HttpError(409, 'DOCUMENT_MISSING', true, { missing });

    if (this.o.verifySubmission) {
      const verdict = await this.o.verifySubmission(manifest, cms);
      if (!verdict.ok) throw new HttpError(422, verdict.code);
      if (verdict.signer.iin !== m.operator.iin) throw new HttpError(422, 'SIGNER_IIN_MISMATCH');
      if (verdict.signer.bin !== m.centre.bin) throw new HttpError(422, 'SIGNER_BIN_MISMATCH');
    }

    const now = this.o.now();
    const result = this.db.transaction((): { row: SubmissionRow; created: boolean } => {
      const again = this.byKey(key);
      if (again) return { row: again, created: false };
      const n = nextCounter(this.db, 'registration');
      const number = `KZ${String(now.getUTCFullYear()).slice(2)}SBX${String(n).padStart(8, '0')}`;
      this.db
        .prepare(
          `INSERT INTO submissions (idempotency_key, registration_number, content_sha256, manifest_sha256, workstation_id, client_cert,
             centre_bin, service_id, sub_service_id, applicant_kind, applicant_number, applicant_name, manifest, cms, documents_json,
             received_at, decide_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(key, number, contentSha, sha256(manifest), workstationId, clientCertCn, centreBin, serviceId, subServiceId,
          m.applicant.kind, m.applicant.number, m.applicant.name, manifest, cms, JSON.stringify(documents), now.toISOString(),
          new Date(now.getTime() + this.o.decisionDelayMs).toISOString());
      return { row: this.byKey(key)!, created: true };
    })();
    if (!result.created) return this.duplicate(result.row, contentSha);
    this.o.log(`registered ${result.row.registration_number}`);
    return { status: 201, json: this.receipt(result.row, false) };
  }

  private duplicate(row: SubmissionRow, contentSha: string): Answer {
    if (row.content_sha256 !== contentSha) throw new HttpError(409, 'IDEMPOTENCY_CONFLICT', false, { registrationNumber: row.registration_number });
    this.db.prepare('UPDATE submissions SET deliveries = deliveries + 1 WHERE idempotency_key = ?').run(row.idempotency_key);
    this.counters.duplicateSubmits++;
    return { status: 200, json: this.receipt(row, true) };
  }

  private receipt(row: SubmissionRow, duplicate: boolean) {
    return { registrationNumber: row.registration_number, idempotencyKey: row.idempotency_key, status: 'registered', receivedAt: row.received_at, duplicate };
  }

  private byKey(key: string): SubmissionRow | undefined {
    return this.db.prepare('SELECT * FROM submissions WHERE idempotency_key = ?').get(key) as SubmissionRow | undefined;
  }

  private byNumber(n: string): SubmissionRow {
    const row = this.db.prepare('SELECT * FROM submissions WHERE registration_number = ?').get(n) as SubmissionRow | undefined;
    if (!row) throw new HttpError(404, 'NOT_FOUND');
    return row;
  }

  private parseManifest(bytes: Buffer) {
    let m: {
      format?: unknown;
      operator?: { iin?: unknown };
      centre?: { bin?: unknown };
      service?: { id?: unknown; subService?: unknown };
      applicant?: { kind?: unknown; number?: unknown; name?: unknown };
      documents?: { sha256?: unknown; size?: unknown }[];
    };
    try {
      m = JSON.parse(bytes.toString('utf8')) as typeof m;
    } catch {
      throw new HttpError(422, 'MANIFEST_INVALID', false, { field: 'manifest' });
    }
    const need = (ok: boolean, field: string) => {
      if (!ok) throw new HttpError(422, 'MANIFEST_INVALID', false, { field });
    };
    need(typeof m === 'object' && m !== null && m.format === MANIFEST_FORMAT, 'format');
    need(typeof m.operator?.iin === 'string' && /^\d{12}$/.test(m.operator.iin), 'operator.iin');
    need(typeof m.centre?.bin === 'string' && /^\d{12}$/.test(m.centre.bin), 'centre.bin');
    need(typeof m.service?.id === 'string', 'service.id');
    need((m.applicant?.kind === 'iin' || m.applicant?.kind === 'bin') && typeof m.applicant.number === 'string' && typeof m.applicant.name === 'string', 'applicant');
    need(Array.isArray(m.documents) && m.documents.every((d) => typeof d?.sha256 === 'string' && SHA.test(d.sha256) && Number.isSafeInteger(d.size)), 'documents');
    return m as {
      operator: { iin: string };
      centre: { bin: string };
      service: { id: string; subService: string | null };
      applicant: { kind: 'iin' | 'bin'; number: string; name: string };
      documents: { sha256: string; size: number }[];
    };
  }

  // ---- status and decision (P7, C2, P8, P9) ----

  private statusOf(row: SubmissionRow) {
    const now = this.o.now().getTime();
    let status = row.issued_at ? 'issued' : row.status;
    if (status === 'registered' && now >= Date.parse(row.received_at) + this.o.decisionDelayMs / 2) status = 'under_review';
    const pending = status === 'registered' || status === 'under_review';
    const refusal = row.refusal_json ? { reasons: (JSON.parse(row.refusal_json) as string[]).map((c) => REFUSAL_REASONS[c] ?? { code: c, text: { kk: c, ru: c, en: c } }) } : null;
    return {
      registrationNumber: row.registration_number,
      idempotencyKey: row.idempotency_key,
      status,
      receivedAt: row.received_at,
      decidedAt: row.decided_at,
      refusal,
      result: row.result_sha256 ? { sha256: row.result_sha256, size: row.result_size } : null,
      issuedAt: row.issued_at,
      nextPollSeconds: pending ? Math.max(1, Math.ceil((Date.parse(row.decide_at) - now) / 1000)) : null,
    };
  }

  status(n: string): Answer {
    return { status: 200, json: this.statusOf(this.byNumber(n)) };
  }

  async statusBatch(read: BodyReader): Promise<Answer> {
    const body = parseJsonObject(await read(MAX_JSON));
    if (!Array.isArray(body.registrationNumbers) || body.registrationNumbers.length > 200) throw bad('registrationNumbers');
    const items: unknown[] = [];
    const unknown: string[] = [];
    for (const [i, n] of (body.registrationNumbers as unknown[]).entries()) {
      const number = str(n, /^[A-Z0-9-]{1,64}$/, `registrationNumbers.${i}`);
      const row = this.db.prepare('SELECT * FROM submissions WHERE registration_number = ?').get(number) as SubmissionRow | undefined;
      if (row) items.push(this.statusOf(row));
      else unknown.push(number);
    }
    return { status: 200, json: { items, unknown } };
  }

  async result(n: string, part: 'pdf' | 'cms'): Promise<Answer> {
    const row = this.byNumber(n);
    if (!row.result_sha256) {
      if (row.status === 'refused') throw new HttpError(409, 'NO_RESULT');
      throw new HttpError(409, 'RESULT_NOT_READY', true, { nextPollSeconds: this.statusOf(row).nextPollSeconds ?? 1 });
    }
    if (part === 'pdf') {
      const pdf = await readFile(join(this.o.dataDir, 'results', `${row.registration_number}.pdf`));
      return { status: 200, raw: pdf, contentType: 'application/pdf', headers: { 'x-qabyldau-sha256': row.result_sha256 } };
    }
    const cms = (this.db.prepare('SELECT result_cms FROM submissions WHERE registration_number = ?').get(n) as { result_cms: Buffer }).result_cms;
    return { status: 200, raw: cms, contentType: 'application/pkcs7-signature', headers: { 'x-qabyldau-sha256': sha256(cms) } };
  }

  async acknowledge(read: BodyReader, n: string): Promise<Answer> {
    const body = parseJsonObject(await read(MAX_JSON));
    const reported = str(body.issuedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'issuedAt');
    const row = this.byNumber(n);
    if (row.issued_at) return { status: 200, json: { registrationNumber: n, status: 'issued', issuedAt: row.issued_at, duplicate: true } };
    if (row.status !== 'result_ready' && row.status !== 'refused') throw new HttpError(409, 'NOT_ISSUABLE', false, { status: this.statusOf(row).status });
    const at = this.o.now().toISOString();
    // The workstation's time is recorded as reported, never compared with ours.
    this.db.prepare('UPDATE submissions SET issued_at = ?, issued_reported_at = ? WHERE registration_number = ? AND issued_at IS NULL').run(at, reported, n);
    return { status: 200, json: { registrationNumber: n, status: 'issued', issuedAt: this.byNumber(n).issued_at, duplicate: false } };
  }

  /** Decides every submission whose time has come (called by a timer). */
  async decideDue(): Promise<void> {
    if (this.deciding) return;
    this.deciding = true;
    try {
      const due = this.db
        .prepare("SELECT * FROM submissions WHERE status = 'registered' AND decide_at <= ? ORDER BY decide_at LIMIT 20")
        .all(this.o.now().toISOString()) as SubmissionRow[];
      for (const row of due) await this.decide(row.registration_number);
    } finally {
      this.deciding = false;
    }
  }

  /** The decision under way for each submission, so that callers take turns. */
  private readonly decisions = new Map<string, Promise<Answer>>();

  /**
   * Decides one submission now: by the admin's forced outcome, else by the applicant's rule, else
   * approve. The timer and the admin API may ask at the same time; they take turns, and whoever
   * comes second finds it decided and gets its status. (Side by side, both made a permit, the
   * first recorded its hash and the second's file overwrote the first's.)
   */
  decide(n: string, forced?: { outcome: 'approve' | 'refuse'; reasons?: string[] }): Promise<Answer> {
    const before = this.decisions.get(n);
    const mine = (before ? before.catch(() => undefined) : Promise.resolve()).then(() => this.decideNow(n, forced));
    this.decisions.set(n, mine);
    const forget = () => {
      if (this.decisions.get(n) === mine) this.decisions.delete(n);
    };
    mine.then(forget, forget);
    return mine;
  }

  private async decideNow(n: string, forced?: { outcome: 'approve' | 'refuse'; reasons?: string[] }): Promise<Answer> {
    const row = this.byNumber(n);
    if (row.status !== 'registered') return this.status(n);
    const rule = this.db.prepare('SELECT outcome, reasons_json FROM outcome_rules WHERE applicant_number = ?').get(row.applicant_number) as
      | { outcome: string; reasons_json: string }
      | undefined;
    const outcome = forced?.outcome ?? (rule?.outcome === 'refuse' ? 'refuse' : 'approve');
    const at = this.o.now();
    if (outcome === 'refuse') {
      const reasons = forced?.reasons ?? (rule ? (JSON.parse(rule.reasons_json) as string[]) : ['QUALIFICATION']);
      this.db.prepare("UPDATE submissions SET status = 'refused', decided_at = ?, refusal_json = ? WHERE registration_number = ? AND status = 'registered'").run(at.toISOString(), JSON.stringify(reasons), n);
      this.o.log(`refused ${n}`);
      return this.status(n);
    }
    if (!this.o.provider) {
      this.o.log(`cannot approve ${n}: no provider key configured (--provider-dir)`);
      return this.status(n);
    }
    const permit = await issuePermit(
      { registrationNumber: n, serviceId: row.service_id, service: this.o.catalogue.get(row.service_id) ?? null, applicant: { kind: row.applicant_kind, number: row.applicant_number, name: row.applicant_name }, decidedAt: at },
      this.o.provider,
      this.o.fontFile,
    );
    const file = join(this.o.dataDir, 'results', `${n}.pdf`);
    await writeFile(`${file}.part`, permit.pdf);
    await rename(`${file}.part`, file);
    this.db
      .prepare("UPDATE submissions SET status = 'result_ready', decided_at = ?, result_sha256 = ?, result_size = ?, result_cms = ? WHERE registration_number = ? AND status = 'registered'")
      .run(at.toISOString(), permit.sha256, permit.pdf.byteLength, permit.cms, n);
    this.o.log(`approved ${n}`);
    return this.status(n);
  }

  stats() {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number | null }).n ?? 0;
    const submissions = one('SELECT COUNT(*) AS n FROM submissions');
    const manifests = one('SELECT COUNT(DISTINCT manifest_sha256) AS n FROM submissions');
    return {
      submissions,
      documents: one('SELECT COUNT(*) AS n FROM documents WHERE complete = 1'),
      /** Signed manifests registered more than once (under different idempotency keys): must stay 0. */
      duplicateRegistrations: submissions - manifests,
      /** Submit messages that reached the handler for a key already registered. */
      duplicateDeliveries: one('SELECT SUM(deliveries - 1) AS n FROM submissions'),
      decided: one("SELECT COUNT(*) AS n FROM submissions WHERE status IN ('result_ready', 'refused')"),
      issued: one('SELECT COUNT(*) AS n FROM submissions WHERE issued_at IS NOT NULL'),
      ...this.counters,
    };
  }

  submissions(): unknown[] {
    return (
      this.db
        .prepare('SELECT registration_number, idempotency_key, manifest_sha256, status, received_at, deliveries, issued_at FROM submissions ORDER BY registration_number')
        .all() as Record<string, unknown>[]
    ).map((r) => ({
      registrationNumber: r.registration_number,
      idempotencyKey: r.idempotency_key,
      manifestSha256: r.manifest_sha256,
      status: r.status,
      receivedAt: r.received_at,
      deliveries: r.deliveries,
      issuedAt: r.issued_at,
    }));
  }

  setOutcome(number: string, outcome: 'approve' | 'refuse' | null, reasons: string[] = ['QUALIFICATION']): void {
    if (outcome === null) this.db.prepare('DELETE FROM outcome_rules WHERE applicant_number = ?').run(number);
    else this.db.prepare('INSERT OR REPLACE INTO outcome_rules VALUES (?, ?, ?)').run(number, outcome, JSON.stringify(reasons));
  }
}
