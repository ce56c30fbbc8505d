/**
 * One papers worker for the whole test process: stacks (stack.ts) and store fixtures
 * (store-fixture.ts) make their PDFs through it instead of starting one each. A papers worker
 * loads pdf-lib and the fonts (0.5-1 s of CPU) and keeps no state between calls (each call makes
 * one PDF from its arguments), so sharing it changes nothing a test sees; under test:quick's
 * --no-isolate one worker serves every file a process runs. It is let go (unref) while idle, so it
 * holds no process open and ends with the process, like the modules the files share. Nobody
 * closes it; a client that did would only make the next call start a new worker. A test that is
 * about the worker itself makes its own PapersClient.
 */
import { silentLogger } from '../../src-main/host/logger-types.js';
import { assetPath } from '../../src-main/host/paths.js';
import { PapersClient } from '../../src-main/papers/papers-client.js';

// On globalThis, not in this module: one per process even where the files' modules are not shared.
const g = globalThis as { qabPapers?: PapersClient };

export function processPapers(): PapersClient {
  g.qabPapers ??= new PapersClient({ assetsDir: assetPath(), log: silentLogger });
  return g.qabPapers;
}
