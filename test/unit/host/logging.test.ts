import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubString } from '../../../src-main/host/logger.js';

describe('logs', () => {
  it('never carry an IIN, a name under a known key, a password or a PEM block', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qab-log-'));
    const { logger, close } = await createLogger({ dataDir: dir, level: 'info', maxFileSizeMb: 1, maxFiles: 3 });
    logger.info({ requestId: 'r-1', iin: '900702400457', fullName: 'Жұмабаева Әсел', password: 'Qwerty12', nested: { number: '070240022228' } }, 'looked up');
    logger.warn('registry said 900702400457 is unknown; cert -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY----- end');
    logger.error({ err: new Error('bad 850315300128') }, 'failed');
    await close();
    const text = readdirSync(join(dir, 'logs'))
      .map((f) => readFileSync(join(dir, 'logs', f), 'utf8'))
      .join('');
    for (const secret of ['900702400457', '070240022228', '850315300128', 'Жұмабаева', 'Qwerty12', 'MIIB']) expect(text).not.toContain(secret);
    expect(text).toContain('"requestId":"r-1"');
    expect(text).toContain('[idn]');
    expect(text).toContain('[pem]');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { level: string; time: string });
    expect(lines.map((l) => l.level)).toEqual(['info', 'warn', 'error']);
    expect(lines[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('rotate by size and keep only the configured number of files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qab-log-'));
    const { logger, close } = await createLogger({ dataDir: dir, level: 'info', maxFileSizeMb: 1, maxFiles: 2 });
    const filler = 'x'.repeat(1000);
    for (let i = 0; i < 9000; i++) {
      logger.info({ i, filler }, 'filling');
      // Bursts of ~100 KB with a pause between them, as a busy workstation logs.
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await close();
    // About 9 MB written in 1 MB files: without rotation and removal there would be one file, or
    // nine; with maxFiles 2, two are kept besides the active one (one more may be on its way out).
    // pino-roll removes old files asynchronously, so on a loaded disk this waits for it (polled,
    // not a fixed sleep).
    await expect.poll(() => readdirSync(join(dir, 'logs')).length, { timeout: 10_000, interval: 50 }).toBeLessThanOrEqual(4);
    const files = readdirSync(join(dir, 'logs'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    // pino-roll checks the size after each write and switches files once its buffer has drained,
    // so a file overshoots by what was logged meanwhile: on a loaded disk a 1 MB file reached
    // 2.2 MB (in a burst of 500 KB). A file that never rotates would hold all 9 MB.
    for (const f of files) expect(readFileSync(join(dir, 'logs', f)).byteLength).toBeLessThan(3 * 1024 * 1024);
  });

  it('scrubs 12-digit runs but keeps longer numbers and ids intact', () => {
    expect(scrubString('IIN 900702400457.')).toBe('IIN [idn].');
    expect(scrubString('KZ26SBX00000001 and 1234567890123')).toBe('KZ26SBX00000001 and 1234567890123');
  });
});
