/**
 * Online backups of the database: SQLite's backup API in the store's worker thread (a consistent
 * snapshot while the app keeps working), checked with quick_check, fsync'd and renamed into place,
 * and the oldest beyond `keep` removed. Only the database is copied: the scans are immutable,
 * content-addressed files beside it (docs/operations.md says how to protect them).
 */
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { Logger } from '../host/logger-types.js';
import type { AuditLog } from '../audit/audit-log.js';
import { mapSqliteError } from './database.js';
import { fileStamp, fsyncDirSync } from './fs-durable.js';
import type { StoreWorker } from './worker-client.js';

export interface BackupInfo {
  file: string;
  name: string;
  bytes: number;
  createdAt: string;
}

const BACKUP_NAME = /^qabyldau-(\d{8}-\d{6})(?:-\d+)?\.sqlite$/;

/** Backups in a folder, newest first. */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => BACKUP_NAME.test(n))
    .map((name) => {
      const file = join(dir, name);
      const st = statSync(file);
      return { file, name, bytes: st.size, createdAt: st.mtime.toISOString() };
    })
    .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

export interface BackupServiceOptions {
  dbFile: string;
  dir: string;
  keep: number;
  now: () => Date;
}

export class BackupService {
  private running: Promise<BackupInfo> | null = null;

  constructor(
    private readonly worker: StoreWorker,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    readonly opts: BackupServiceOptions,
  ) {}

  list(): BackupInfo[] {
    return listBackups(this.opts.dir);
  }

  /** Makes one backup now (a second call while one runs waits for it). */
  backupNow(reason: 'scheduled' | 'manual' | 'before-restore', actor = 'system'): Promise<BackupInfo> {
    this.running ??= this.run(reason, actor).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(reason: string, actor: string): Promise<BackupInfo> {
    const { dir, dbFile, keep, now } = this.opts;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stamp = fileStamp(now());
    let name = `qabyldau-${stamp}.sqlite`;
    for (let i = 1; listBackups(dir).some((b) => b.name === name); i++) name = `qabyldau-${stamp}-${i}.sqlite`;
    const file = join(dir, name);
    const part = `${file}.part`;
    const started = Date.now();
    try {
      await this.worker.backup(dbFile, part);
      const check = await this.worker.integrity(part, false);
      if (!check.ok) throw new AppError('STORAGE_BACKUP_CORRUPT', { file: basename(part) });
      // The worker fsync'd the copy; the rename and the folder's fsync are cheap.
      renameSync(part, file);
      fsyncDirSync(dir);
    } catch (e) {
      rmSync(part, { force: true });
      const mapped = mapSqliteError(e);
      const code = (mapped as { code?: string }).code;
      if (code === 'ENOSPC') throw new AppError('STORAGE_DISK_FULL', {}, { cause: e });
      throw mapped;
    }
    const bytes = statSync(file).size;
    const removed = this.prune(keep);
    this.audit.append({ actor, action: 'admin.backup', data: { file: name, bytes, reason, removed } });
    this.log.info({ file: name, bytes, ms: Date.now() - started, removed }, 'database backed up');
    return { file, name, bytes, createdAt: now().toISOString() };
  }

  /** Keeps the newest `keep` backups; returns the names removed. */
  prune(keep: number): string[] {
    const removed: string[] = [];
    for (const b of this.list().slice(keep)) {
      rmSync(b.file, { force: true });
      removed.push(b.name);
    }
    return removed;
  }
}

/**
 * Runs a backup when the newest one is older than `intervalHours` (checked at start, after a short
 * delay, then every hour): a workstation switched off at night still gets its daily backup.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly backups: BackupService,
    private readonly log: Logger,
    private readonly opts: { intervalHours: number; firstCheckMs?: number; checkEveryMs?: number; now: () => Date },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.opts.firstCheckMs ?? 60_000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  isDue(): boolean {
    const newest = this.backups.list()[0];
    if (!newest) return true;
    return this.opts.now().getTime() - new Date(newest.createdAt).getTime() >= this.opts.intervalHours * 3600_000;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const run = this.isDue() ? this.backups.backupNow('scheduled').then(() => undefined) : Promise.resolve();
      run
        .catch((e: unknown) => this.log.error({ code: (e as { code?: string }).code ?? 'INTERNAL' }, 'scheduled backup failed'))
        .finally(() => this.schedule(this.opts.checkEveryMs ?? 3600_000));
    }, ms);
    this.timer.unref?.();
  }
}
