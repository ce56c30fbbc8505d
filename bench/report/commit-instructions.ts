/**
 * bench:report's second figure counted, not timed: SQLite's instructions per signing commit with
 * and without step events (valgrind's callgrind, collecting only inside sqlite3_step, where every
 * statement and the commit itself run: B-tree work, the pages' AEGIS encryption and WAL
 * checksums). A count is the same on any machine and whatever else it is doing; bench:report's
 * wall and CPU times are what the operator waits, but on a shared virtual machine they move by
 * more than the step events cost. JavaScript's own work is not in this count (the JIT makes a
 * whole process's count vary by more than the commits it holds).
 *
 * Four runs of this file as a child under callgrind, each the same store and requests: signing
 * none of them (the setup's count) and signing all of them, with and without step events. Per
 * commit = (all − none) / commits.
 *
 *   npm run bench:report:instructions [-- --commits 60]
 *   (needs valgrind: apt-get install valgrind)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { commits: { type: 'string', default: '60' }, child: { type: 'string' }, sign: { type: 'string' } } });
const COMMITS = Number(values.commits);

if (values.child) await child(values.child === 'with', Number(values.sign));
else await parent();

/** A store with COMMITS requests whose documents are complete; signs `sign` of them. */
async function child(withSteps: boolean, sign: number): Promise<void> {
  const { commitSignature } = await import('../../src-main/requests/signing.js');
  const { completeDocuments, createRequest, openFixture } = await import('../../test/support/store-fixture.js');
  const { withStepEvents } = await import('../../test/support/step-store.js');
  const fx = await openFixture({ reconcile: false });
  const stepping = withStepEvents(fx);
  const requests = withSteps ? stepping.requests : fx.requests;
  const signer = { name: 'ОПЕРАТОР', serial: '1f'.repeat(10), notAfter: '2027-12-01T00:00:00Z', algorithm: 'ECGOST3410-2015-512', iin: null };
  const commits = [];
  for (let i = 0; i < COMMITS; i++) {
    const requestId = (await completeDocuments(fx, createRequest(fx, 500 + i))).id;
    const pdfs = fx.requests
      .detail(requestId)
      .slots.filter((s) => s.presented && s.pages.length > 0)
      .map((s, k) => ({ slotId: s.slotId, sha256: k.toString(16).padStart(64, 'c'), size: 180_000, pageCount: s.pages.length }));
    const signed = { manifest: Buffer.alloc(2600, 1), cms: Buffer.alloc(1800, 7), signer, signedAt: fx.now().toISOString() };
    commits.push({ requestId, updatedAt: fx.requests.row(requestId).updated_at, signed, manifestSha256: 'a'.repeat(64), pdfs, operatorId: fx.actor.id, now: fx.now() });
  }
  for (const c of commits.slice(0, sign)) commitSignature(requests, c);
  await fx.close();
}

async function parent(): Promise<void> {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('bench:report:instructions needs valgrind (apt-get install valgrind)');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'qab-cg-'));
  const self = fileURLToPath(import.meta.url);
  const count = (variant: 'with' | 'without', sign: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const out = join(dir, `${variant}.${sign}`);
      const p = spawn('valgrind', ['--tool=callgrind', '--toggle-collect=sqlite3_step', `--callgrind-out-file=${out}`, process.execPath, '--import', 'tsx', self, '--child', variant, '--sign', String(sign), '--commits', String(COMMITS)], {
        stdio: 'ignore',
      });
      p.on('error', reject);
      p.on('exit', (code) => {
        if (code !== 0) return reject(new Error(`callgrind run ${variant}/${sign} exited ${code}`));
        const m = /^summary: (\d+)/m.exec(readFileSync(out, 'utf8'));
        if (!m) return reject(new Error(`no summary in ${out}`));
        resolve(Number(m[1]));
      });
    });
  console.log(`SQLite's instructions per signing commit (callgrind, inside sqlite3_step), ${COMMITS} commits each; two runs at a time`);
  const [withNone, withAll] = await Promise.all([count('with', 0), count('with', COMMITS)]);
  const [withoutNone, withoutAll] = await Promise.all([count('without', 0), count('without', COMMITS)]);
  rmSync(dir, { recursive: true, force: true });
  const per = (all: number, none: number) => (all - none) / COMMITS;
  const without = per(withoutAll, withoutNone);
  const withSteps = per(withAll, withNone);
  const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
  console.log(`   without step events: ${k(without)}   with: ${k(withSteps)}   added: ${k(withSteps - without)}`);
  console.log(`   ratio with / without ${(withSteps / without).toFixed(3)}   (target < 1.10)`);
  console.log(`   (setup alone, for the check: without ${k(withoutNone)}, with ${k(withNone)})`);
}
