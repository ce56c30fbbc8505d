// A real scan stack for tests and the bench: the SANE test backend (through a generated
// SANE_CONFIG_DIR), the real worker process (esbuild bundle, child_process.fork), a real
// ContentStore and a real SQLite table as the page recorder.
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentStore } from '../../../src-main/files/content-store.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { prepareSaneConfigDir } from '../../../src-main/scan/sane-config.js';
import { ScanService, type ScanServiceOptions } from '../../../src-main/scan/scan-service.js';
import type { ScanJobEvent, ScannedPage, ScanProgressEvent, ScanRequest } from '../../../src-main/scan/types.js';
import { nodeWorkerSpawner } from '../../../src-main/scan/worker-host.js';
import { buildScanWorker } from './worker-build.js';

export interface PageRow {
  id: string;
  job_id: string;
  idx: number;
  sha256: string;
  size: number;
  width: number;
  height: number;
  dpi: number;
  mode: string;
  format: string;
  thumb_sha256: string;
}

/** Records pages in a real SQLite file (WAL, synchronous=FULL): what the DB layer will do. */
export class SqlitePageRecorder {
  readonly db: Database.Database;
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS pages (
      id TEXT PRIMARY KEY, job_id TEXT NOT NULL, idx INTEGER NOT NULL, sha256 TEXT NOT NULL,
      size INTEGER NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, dpi INTEGER NOT NULL,
      mode TEXT NOT NULL, format TEXT NOT NULL, thumb_sha256 TEXT NOT NULL, UNIQUE (job_id, idx))`);
  }
  record = (p: ScannedPage): Promise<void> => {
    this.db
      .prepare('INSERT INTO pages (id, job_id, idx, sha256, size, width, height, dpi, mode, format, thumb_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
      .run(p.id, p.jobId, p.index, p.sha256, p.size, p.width, p.height, p.dpi, p.mode, p.format, p.thumbnail.sha256);
    return Promise.resolve();
  };
  rows(jobId: string): PageRow[] {
    return this.db.prepare('SELECT * FROM pages WHERE job_id = ? ORDER BY idx').all(jobId) as PageRow[];
  }
  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM pages WHERE id = ?').get(id) !== undefined;
  }
  close(): void {
    this.db.close();
  }
}

export interface Harness {
  dir: string;
  store: ContentStore;
  recorder: SqlitePageRecorder;
  service: ScanService;
  dispose(): Promise<void>;
}

/** `recordDelayMs`: each page's record waits this long first (a slow, contended disk). */
export async function scanHarness(o: Partial<ScanServiceOptions> & { recordDelayMs?: number } = {}): Promise<Harness> {
  const { recordDelayMs, ...serviceOptions } = o;
  const dir = await mkdtemp(join(tmpdir(), 'qab-scan-'));
  const store = new ContentStore(join(dir, 'store'));
  const recorder = new SqlitePageRecorder(join(dir, 'pages.sqlite'));
  const record: ScanServiceOptions['recordPage'] = recordDelayMs
    ? async (p) => {
        await new Promise((r) => setTimeout(r, recordDelayMs));
        await recorder.record(p);
      }
    : recorder.record;
  const env = await prepareSaneConfigDir(join(dir, 'sane.d'), 'test', { devices: 1 });
  const entry = await buildScanWorker();
  const service = new ScanService({
    store,
    recordPage: record,
    spawner: nodeWorkerSpawner(entry),
    spoolDir: join(dir, 'spool'),
    logger: silentLogger,
    now: () => new Date(),
    ...serviceOptions,
    // No DNS-SD browse for network scanners unless a test asks for one: the first device listing
    // would wait its 1.5 s for nothing (escl-discovery.test.ts is where discovery is tested).
    escl: { discovery: false, ...serviceOptions.escl },
    workerEnv: { ...env, ...serviceOptions.workerEnv },
  });
  await service.start();
  return {
    dir,
    store,
    recorder,
    service,
    async dispose() {
      await service.close();
      recorder.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An ADF batch of the test backend slowed to ~0.3 s a sheet (20 ms per buffer at 150 dpi): time
 * to cancel, kill or freeze the worker while a sheet is being read.
 */
export const SLOW_ADF_BATCH = {
  profileId: 'document-300-gray',
  settings: { dpi: 150 },
  deviceOptions: { 'read-delay': true, 'read-delay-duration': 20_000 },
} as const satisfies ScanRequest;

/**
 * Resolves when the worker is reading sheet `index` (or a later one) of the job: the moment to
 * cancel, kill or freeze it "mid-page". Timed by what the worker reports, not by pages shown, so a
 * slow disk that stores pages late cannot make the batch end before the moment comes. By the time
 * sheet n is read, the pages of sheets up to n - 2 have reached the service (the worker encodes at
 * most two pages behind its reads, and its messages arrive in order). Rejects if the job stops
 * scanning first, instead of waiting for ever.
 */
export function whileReading(hh: Harness, jobId: string, index: number): Promise<ScanProgressEvent> {
  return new Promise((resolve, reject) => {
    const done = () => {
      hh.service.off('progress', onProgress);
      hh.service.off('job', onJob);
    };
    const onProgress = (e: ScanProgressEvent) => {
      if (e.jobId !== jobId || e.phase !== 'reading' || e.bytesRead === 0 || e.page < index) return;
      done();
      resolve(e);
    };
    const onJob = (e: ScanJobEvent) => {
      if (e.job.jobId !== jobId || e.job.state === 'scanning') return;
      done();
      reject(new Error(`job ended (${e.job.state}, ${e.job.pages} pages) before sheet ${index} was being read`));
    };
    hh.service.on('progress', onProgress);
    hh.service.on('job', onJob);
  });
}
