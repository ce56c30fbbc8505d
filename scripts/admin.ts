/**
 * Administrator's commands for the workstation's store (docs/operations.md):
 *
 *   npm run admin -- audit-verify              walk the audit chain; name the first broken link
 *   npm run admin -- backup-now                an online backup now (the app may be running)
 *   npm run admin -- restore <file>|--latest   restore the database (the app must be stopped)
 *   npm run admin -- retention [--days N] [--dry-run]   purge personal data and scans (app stopped)
 *   npm run admin -- integrity [--full]        PRAGMA quick_check (or the full integrity_check)
 *   npm run admin -- reconcile                 compare files and rows; report orphans, flag missing
 *   npm run admin -- backups                   list the backups, newest first
 *   npm run admin -- users list|create|edit|disable|enable|reset-password …   accounts (src-main/auth/users-command.ts)
 *   npm run admin -- key-status                which data keys the keyring holds, how they are sealed
 *   npm run admin -- rotate-key                a new data key; everything re-encrypted under it (app stopped)
 *   npm run admin -- export-key <file>         the data keys in a password-protected file (for a restore elsewhere)
 *   npm run admin -- import-key <file>         add the keys of such a file to this workstation's keyring
 *   npm run admin -- set-client-key-password   the backend client key's password, sealed in the keyring
 *
 * Passwords (export-key, import-key) are asked on the terminal without echo, or read from the first
 * line of --password-file <file>.
 *
 * Options: --data-dir <dir> (default: the configured dataDir). The configuration is read as the
 * app reads it (files, QABYLDAU_* variables). Exit status: 0 fine, 1 a problem was found, 2 the
 * command failed. An installed workstation has no Node and its Electron cannot run as Node (the
 * RunAsNode fuse is off): it runs the same commands through the app's own entry,
 * `Qabyldau.exe --admin <command> [options]` (src-main/main.ts), which also unseals a keyring
 * sealed by safeStorage (docs/encryption.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { AccountService } from '../src-main/auth/accounts.js';
import { OperatorStore } from '../src-main/auth/operator-store.js';
import { runUsersCommand, USERS_USAGE } from '../src-main/auth/users-command.js';
import { AppError } from '../src-main/contract/errors.js';
import { withClientKeyPassword } from '../src-main/crypto/client-key-password.js';
import { exportKeys, importKeys } from '../src-main/crypto/key-export.js';
import { createKeyring, fileSealer, type KeySealer, Keyring, keyringExists, keyringPath, loadKeyring } from '../src-main/crypto/keyring.js';
import { keyDirOf, rotateKey } from '../src-main/db/at-rest.js';
import { listBackups } from '../src-main/db/backup.js';
import { acquireInstanceLock } from '../src-main/db/instance-lock.js';
import { restoreDatabase } from '../src-main/db/restore.js';
import { runRetention } from '../src-main/db/retention.js';
import { backupDirOf, openStore, RESTORE_COMMAND, type Store } from '../src-main/db/store.js';
import { reconcileFiles } from '../src-main/files/reconcile.js';
import { loadConfig } from '../src-main/host/config.js';
import type { Logger } from '../src-main/host/logger-types.js';

type Out = (line: string) => void;

function stderrLogger(bindings: Record<string, unknown> = {}): Logger {
  const log = (level: string) => (a: unknown, b?: string) => {
    if (level === 'debug' || level === 'trace') return;
    const fields = typeof a === 'object' && a !== null ? a : {};
    const msg = typeof a === 'string' ? a : (b ?? '');
    process.stderr.write(`[${level}] ${msg} ${JSON.stringify({ ...bindings, ...fields })}\n`);
  };
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), fatal: log('fatal'), child: (m) => stderrLogger({ ...bindings, ...m }) };
}

/** Reads a password: the first line of --password-file, or typed on the terminal without echo. */
async function readPassword(file: string | undefined, prompt: string): Promise<Buffer> {
  if (file) return Buffer.from(readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '', 'utf8');
  if (!process.stdin.isTTY) throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'no-terminal' });
  process.stderr.write(prompt);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  const chars: number[] = [];
  try {
    for await (const chunk of process.stdin) {
      for (const c of chunk as Buffer) {
        if (c === 3) throw new AppError('STORAGE_KEY_EXPORT_PASSWORD', { reason: 'cancelled' });
        if (c === 13 || c === 10) return Buffer.from(chars);
        if (c === 127 || c === 8) chars.pop();
        else chars.push(c);
      }
    }
    return Buffer.from(chars);
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
    process.stderr.write('\n');
  }
}

export interface AdminOptions {
  /** How the keyring is sealed: the file sealer under Node; safeStorage through the app's --admin entry. */
  sealer?: KeySealer;
}

export async function runAdmin(
  argv: string[],
  out: Out = (l) => console.log(l),
  env: Record<string, string | undefined> = process.env,
  now: () => Date = () => new Date(),
  adminOptions: AdminOptions = {},
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      days: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      latest: { type: 'boolean', default: false },
      name: { type: 'string' },
      role: { type: 'string' },
      iin: { type: 'string' },
      'no-iin': { type: 'boolean' },
      'password-file': { type: 'string' },
    },
  });
  const [command, arg] = positionals;
  const { config } = loadConfig({ env, overrides: values['data-dir'] ? { dataDir: values['data-dir'] } : {} });
  const dataDir = config.dataDir;
  const log = stderrLogger({ cmd: command });
  const backupDir = backupDirOf(dataDir, config.backup.dir);
  const sealer = adminOptions.sealer ?? fileSealer;
  const keyDir = keyDirOf(dataDir);
  const open = async (exclusive: boolean): Promise<Store> => {
    const base = { dataDir, log, now, backup: config.backup, reconcile: false, holder: `admin ${command}`, sealer };
    if (exclusive) return openStore(base);
    try {
      return await openStore(base);
    } catch (e) {
      if (e instanceof AppError && e.code === 'STORAGE_IN_USE') return openStore({ ...base, shared: true });
      throw e;
    }
  };
  const withStore = async (exclusive: boolean, fn: (s: Store) => Promise<number> | number): Promise<number> => {
    const s = await open(exclusive);
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };

  switch (command) {
    case 'audit-verify':
      return withStore(false, (s) => {
        const r = s.audit.verify();
        if (r.ok) out(`audit chain OK: ${r.entries} entries, ${r.personalPurged} personal parts purged by retention, head ${r.headHash}`);
        else out(`audit chain BROKEN at entry ${r.firstBroken!.seq} (${r.firstBroken!.reason}); ${r.entries - 1} entries before it verify`);
        return r.ok ? 0 : 1;
      });
    case 'backup-now':
      return withStore(false, async (s) => {
        const b = await s.backups.backupNow('manual', 'admin');
        out(`backup written: ${b.file} (${b.bytes} bytes)`);
        return 0;
      });
    case 'backups': {
      const list = listBackups(backupDir);
      if (!list.length) out(`no backups in ${backupDir}`);
      for (const b of list) out(`${b.createdAt}  ${b.bytes}  ${b.file}`);
      return 0;
    }
    case 'restore': {
      const file = values.latest ? listBackups(backupDir)[0]?.file : arg;
      if (!file) {
        out(values.latest ? `no backups in ${backupDir}` : 'usage: restore <backup file> | --latest');
        return 2;
      }
      const r = await restoreDatabase({ dataDir, backupFile: file, log, now, actor: 'admin', sealer });
      out(`restored from ${basename(r.restoredFrom)} (database version ${r.backupVersion})`);
      if (r.keptAs) out(`the replaced database was kept as ${r.keptAs}`);
      if (r.reconcile) {
        out(`files: ${r.reconcile.filesOnDisk} on disk, ${r.reconcile.orphans.length} without a row (kept), ${r.reconcile.missing.length} missing`);
      }
      return 0;
    }
    case 'retention': {
      const days = values.days ? Number(values.days) : config.retention.days;
      if (!Number.isInteger(days) || days < 1) {
        out('--days must be a whole number of days, at least 1');
        return 2;
      }
      return withStore(true, (s) => {
        const r = runRetention(s.db, s.files, s.audit, { days, dryRun: values['dry-run'] ?? false, now, actor: 'admin' });
        out(
          `${r.dryRun ? 'would purge' : 'purged'} ${r.requests} request(s) ended before ${r.cutoff}: ${r.pages} page(s), ${r.applicants} applicant record(s), ${r.filesDeleted} file(s) deleted; ${r.refusals} counter refusal(s) forgot the number and paper`,
        );
        return 0;
      });
    }
    case 'integrity':
      return withStore(false, async (s) => {
        const r = await s.integrity(values.full ?? false);
        s.audit.append({ actor: 'admin', action: 'admin.integrity', data: { full: values.full ?? false, ok: r.ok } });
        out(r.ok ? `integrity ${values.full ? 'check' : 'quick check'}: ok` : `integrity problems:\n${r.messages.join('\n')}\nRestore: ${RESTORE_COMMAND}`);
        return r.ok ? 0 : 1;
      });
    case 'reconcile':
      return withStore(false, async (s) => {
        const r = await reconcileFiles({ db: s.db, dbFile: s.dbFile, files: s.files, worker: s.worker, audit: s.audit, log, now, actor: 'admin' });
        out(`files on disk: ${r.filesOnDisk}; referenced: ${r.referenced}; awaiting retention: ${r.awaitingRetention}`);
        out(`orphan files (kept): ${r.orphans.length}${r.orphans.length ? `\n  ${r.orphans.join('\n  ')}` : ''}`);
        out(`missing files: ${r.missing.length}${r.missing.length ? `\n  ${r.missing.join('\n  ')}` : ''}`);
        out(`requests moved to needs_attention: ${r.movedToAttention.length}; flagged: ${r.flagged.length}; recovered pages: ${r.recovered}`);
        return r.missing.length ? 1 : 0;
      });
    case 'users':
      return withStore(false, (s) => {
        const store = new OperatorStore(s.db);
        return runUsersCommand(new AccountService(store, s.audit, now), store, positionals.slice(1), values, out);
      });
    case 'key-status': {
      const k = loadKeyring(keyDir, sealer);
      out(`keyring ${keyringPath(keyDir)} (sealed by ${sealer.kind})`);
      out(`current data key ${k.current.id}, created ${k.current.createdAt}`);
      for (const o of k.keys.slice(1)) out(`also held: ${o.id}, created ${o.createdAt}`);
      if (k.rotating) out('a key rotation is under way: run rotate-key again to finish it');
      return 0;
    }
    case 'rotate-key': {
      // The app must be stopped: every file is rewritten.
      const lock = acquireInstanceLock(dataDir, 'admin rotate-key');
      let r: Awaited<ReturnType<typeof rotateKey>>;
      try {
        r = await rotateKey({ dataDir, keyDir, backupDir, sealer, log, now });
      } finally {
        lock.release();
      }
      await withStore(true, (s) => {
        s.audit.append({ actor: 'admin', action: 'admin.rotate-key', data: { keyId: r.keyId, databases: r.databases, files: r.files, dropped: r.dropped } });
        return 0;
      });
      out(`data key rotated: now ${r.keyId}; ${r.databases} database file(s) and ${r.files} stored file(s) re-encrypted; retired ${r.dropped.join(', ') || 'none'}`);
      out('Export the new key (export-key) for restores on another workstation: older exports no longer open the backups.');
      return 0;
    }
    case 'export-key': {
      if (!arg) {
        out('usage: export-key <file> [--password-file <file>]');
        return 2;
      }
      const k = loadKeyring(keyDir, sealer);
      const password = await readPassword(values['password-file'], 'Password for the exported key (12 characters or more): ');
      try {
        writeFileSync(arg, exportKeys(k.keys, password), { mode: 0o600, flag: 'wx' });
      } finally {
        password.fill(0);
      }
      out(`data keys ${k.keys.map((x) => x.id).join(', ')} exported to ${arg}: keep it and its password apart, both offline`);
      return 0;
    }
    case 'import-key': {
      if (!arg) {
        out('usage: import-key <file> [--password-file <file>]');
        return 2;
      }
      const password = await readPassword(values['password-file'], 'Password of the exported key: ');
      let keys;
      try {
        keys = importKeys(readFileSync(arg, 'utf8'), password);
      } finally {
        password.fill(0);
      }
      if (keyringExists(keyDir)) {
        const k = loadKeyring(keyDir, sealer);
        const added = keys.filter((x) => !k.keys.some((y) => y.id === x.id));
        k.withKeys([...k.keys, ...added]).save();
        out(`imported ${added.length} key(s) beside the current one: backups made under them can be restored`);
      } else {
        createKeyring(keyDir, sealer, now());
        new Keyring(keyringPath(keyDir), sealer, keys).save();
        out(`keyring created from the export (current key ${keys[0]!.id})`);
      }
      return 0;
    }
    case 'set-client-key-password': {
      // Kept sealed in the keyring like the data key; the app reads it at its next start.
      const password = await readPassword(values['password-file'], 'Password of the backend client key: ');
      try {
        withClientKeyPassword(loadKeyring(keyDir, sealer), password);
      } finally {
        password.fill(0);
      }
      await withStore(false, (s) => {
        s.audit.append({ actor: 'admin', action: 'admin.client-key-password', data: { from: values['password-file'] ? 'file' : 'terminal' } });
        return 0;
      });
      out('the client key password is in the keyring; restart the app. Delete any password file you used for this.');
      return 0;
    }
    default:
      out(`commands: audit-verify | backup-now | backups | restore <file>|--latest | retention [--days N] [--dry-run] | integrity [--full] | reconcile | key-status | rotate-key | export-key <file> | import-key <file> | set-client-key-password | ${USERS_USAGE}`);
      return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAdmin(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const code = e instanceof AppError ? e.code : 'INTERNAL';
      const params = e instanceof AppError ? e.params : {};
      console.error(`failed: ${code} ${JSON.stringify(params)}${e instanceof AppError ? '' : ` ${e instanceof Error ? e.message : String(e)}`}`);
      process.exit(2);
    },
  );
}
