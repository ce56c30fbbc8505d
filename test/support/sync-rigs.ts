/**
 * The set-up the sync tests share: sandboxes (the licensing backend with the test PKI) and
 * workstations (openSyncWorld on a temp directory) made on demand inside a test, all closed and
 * removed after each test. Kept apart from sync-fixture.ts, which child processes import without
 * vitest.
 *
 *   const rigs = syncRigs();
 *   it('…', async () => { const r = await rigs.sandbox({ decisionDelayMs: 300 }); const w = await rigs.world(r); });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { SandboxOptions } from '../../sandbox/server.js';
import { silentLogger } from '../../src-main/host/logger-types.js';
import { captureLogger } from './capture-logger.js';
import { startGatewayRig, type GatewayRig } from './gateway.js';
import { openSyncWorld, type SyncWorld } from './sync-fixture.js';

export interface WorldOptions {
  /** Collects the engine's log lines (JSON) here; silent when absent. */
  lines?: string[];
  /** Clock offset (skew) in milliseconds. */
  skewMs?: number;
}

export function syncRigs() {
  const rigs: GatewayRig[] = [];
  const worlds: SyncWorld[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.close();
    for (const r of rigs.splice(0)) await r.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return {
    async sandbox(opts: Partial<SandboxOptions> = {}): Promise<GatewayRig> {
      const r = await startGatewayRig(opts);
      rigs.push(r);
      return r;
    },
    async world(r: GatewayRig, opts: WorldOptions = {}): Promise<SyncWorld> {
      const dir = await mkdtemp(join(tmpdir(), 'qab-sync-'));
      dirs.push(dir);
      const w = await openSyncWorld({
        dataDir: join(dir, 'data'),
        pki: r.pki,
        sandboxUrl: r.sandbox.url,
        log: opts.lines ? captureLogger(opts.lines) : silentLogger,
        skewMs: opts.skewMs ?? 0,
      });
      worlds.push(w);
      return w;
    },
  };
}
