import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubString } from '../../src-main/host/logger.js';

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
      if (i % 500 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await close();
    // About 9 MB written in 1 MB files: without rotation and removal there would be one file, or
    // nine; with maxFiles 2, two are kept besides the active one (one more may be on its way out).
    // pino-roll removes old files asynchronously, so on a loaded disk this waits for it (polled,
    // not a fixed sleep).
    await expect.poll(() => readdirSync(join(dir, 'logs')).length, { timeout: 10_000, interval: 50 }).toBeLessThanOrEqual(4);
    const files = readdirSync(join(dir, 'logs'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    // Size is checked after writes, so a file may overshoot by what was buffered, never by much.
    for (const f of files) expect(readFileSync(join(dir, 'logs', f)).byteLength).toBeLessThan(2 * 1024 * 1024);
  });

  it('scrubs 12-digit runs but keeps longer numbers and ids intact', () => {
    expect(scrubString('IIN 900702400457.')).toBe('IIN [idn].');
    expect(scrubString('KZ26SBX00000001 and 1234567890123')).toBe('KZ26SBX00000001 and 1234567890123');
  });
});
