/**
 * The sync crash test's worker process: the sync engine as the app runs it (real store on the data
 * directory, SqliteUploadStateStore, the result verifier, mutual TLS to the sandbox), started and
 * left running until the parent kills it with SIGKILL.
 *
 *   node crash-child.js <dataDir> <sandboxUrl> <pki.json>
 */
import { readFileSync, writeSync } from 'node:fs';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import type { TestPki } from '../../support/pki.js';
import { openSyncWorld } from '../../support/sync-fixture.js';

const [dataDir, sandboxUrl, pkiFile] = process.argv.slice(2);
const pki = JSON.parse(readFileSync(pkiFile!, 'utf8')) as TestPki;
const w = await openSyncWorld({ dataDir: dataDir!, pki, sandboxUrl: sandboxUrl!, log: silentLogger });
const engine = w.engine({ intervalSeconds: 1, concurrency: 2, backoffBaseSeconds: 0.1, maxBackoffSeconds: 1 });
engine.start();
writeSync(1, 'ready\n');
// Keeps the process alive (the engine's timers are unref'd, as in the app, which has a window).
setInterval(() => {}, 60_000);
