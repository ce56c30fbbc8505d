/**
 * A data folder as a workstation of the version before encryption at rest left it: a clear SQLite
 * database (WAL mode, current schema) with requests, applicants and pages, clear page files in the
 * content store, and a clear backup. Built with the same services, only without keys.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicantService } from '../../src-main/applicant/applicant-service.js';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { DB_FILE, openDatabase } from '../../src-main/db/database.js';
import { ContentStore } from '../../src-main/files/content-store.js';
import { assetPath } from '../../src-main/host/paths.js';
import { RequestService } from '../../src-main/requests/request-service.js';
import { GatewayClient } from '../../src-main/gateway/gateway-client.js';
import { captureLogger } from './capture-logger.js';
import { JPEG, makeIin, page, SERVICE } from './store-fixture.js';

export const LEGACY_NAME = 'Жұмабаева Әсел Қайратқызы';

/**
 * A unique page: the fixture JPEG with comment segments naming `n` (so every page is its own file)
 * and carrying `pad` more bytes (in segments of at most 60,000: a segment's length is 16 bits).
 */
export function legacyPage(n: number, pad = 0): Buffer {
  const segments: Buffer[] = [];
  let left = pad;
  let first = true;
  while (first || left > 0) {
    const take = Math.min(left, 60_000);
    const comment = Buffer.from(`${first ? `legacy page ${n} ` : ''}${'y'.repeat(take)}`);
    const com = Buffer.alloc(4);
    com.writeUInt16BE(0xfffe, 0);
    com.writeUInt16BE(comment.length + 2, 2);
    segments.push(com, comment);
    left -= take;
    first = false;
  }
  return Buffer.concat([JPEG.subarray(0, 2), ...segments, JPEG.subarray(2)]);
}

export interface LegacyData {
  dataDir: string;
  iins: string[];
  /** SHA-256 → bytes of every page written. */
  pages: Map<string, Buffer>;
  requestIds: string[];
}

export async function makeLegacyDataDir(dataDir: string, requests: number, pagesPerRequest = 2): Promise<LegacyData> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const now = () => new Date('2026-11-23T09:00:00.000Z');
  const log = captureLogger();
  const db = openDatabase(join(dataDir, DB_FILE));
  const files = new ContentStore(join(dataDir, 'files'));
  const gateway = new GatewayClient({ baseUrl: 'http://127.0.0.1:9', tls: null, timeoutMs: 500, workstationId: 'W01' });
  const applicants = new ApplicantService(db, gateway, log, now);
  const service = new RequestService(db, Catalog.load(assetPath('catalog', 'services.json')), applicants, files, log, {
    centreCode: 'ALM-01',
    workstationId: 'W01',
    now,
  });
  const operatorId = randomUUID();
  db.prepare(`INSERT INTO operators (id, login, full_name, iin, role, password_hash, created_at) VALUES (?, 'operator', ?, ?, 'operator', 'x', ?)`).run(
    operatorId,
    'Омаров Ерлан Серікұлы',
    '850315300128',
    now().toISOString(),
  );
  const actor = { id: operatorId };
  const out: LegacyData = { dataDir, iins: [], pages: new Map(), requestIds: [] };
  for (let i = 0; i < requests; i++) {
    const iin = makeIin(5000 + i);
    const r = service.create(actor, { ...SERVICE, applicant: { kind: 'iin', number: iin, manualName: LEGACY_NAME } });
    service.setDocument(actor, r.id, 'application', true, true);
    for (let p = 0; p < pagesPerRequest; p++) {
      const bytes = legacyPage(i * 100 + p, 4000);
      const d = await service.addPage(actor, r.id, 'application', page(bytes));
      const sha = d.slots.find((s) => s.slotId === 'application')!.pages.at(-1)!.sha256;
      out.pages.set(sha, bytes);
    }
    out.iins.push(iin);
    out.requestIds.push(r.id);
  }
  mkdirSync(join(dataDir, 'backups'), { mode: 0o700 });
  db.prepare('VACUUM INTO ?').run(join(dataDir, 'backups', 'qabyldau-20261122-090000.sqlite'));
  db.close();
  return out;
}
