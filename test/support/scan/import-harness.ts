import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentStore } from '../../../src-main/files/content-store.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { FileImporter, type FileImporterOptions } from '../../../src-main/scan/import/file-import.js';
import { SqlitePageRecorder } from './harness.js';

export interface ImportHarness {
  dir: string;
  store: ContentStore;
  recorder: SqlitePageRecorder;
  importer: FileImporter;
  /** Writes bytes to a file with the given name and returns its path. */
  file(name: string, data: Buffer): Promise<string>;
  dispose(): Promise<void>;
}

export async function importHarness(o: Partial<FileImporterOptions> = {}): Promise<ImportHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'qab-import-'));
  const store = new ContentStore(join(dir, 'store'));
  const recorder = new SqlitePageRecorder(join(dir, 'pages.sqlite'));
  const importer = new FileImporter({ store, recordPage: recorder.record, logger: silentLogger, now: () => new Date(), ...o });
  return {
    dir,
    store,
    recorder,
    importer,
    async file(name, data) {
      const p = join(dir, name);
      await writeFile(p, data);
      return p;
    },
    async dispose() {
      recorder.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
