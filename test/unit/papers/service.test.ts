import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../src-main/host/logger-types.js';
import { PapersService } from '../../../src-main/papers/index.js';
import { sampleReceipt } from '../../support/docs-samples.js';

function recordingLogger(lines: unknown[]): Logger {
  const log = (obj: unknown, msg?: string) => lines.push({ obj, msg });
  const l: Logger = { trace: log, debug: log, info: log, warn: log, error: log, fatal: log, child: () => l };
  return l;
}

describe('PapersService', () => {
  it('makes a receipt with the host clock for the print time and logs no personal data', async () => {
    const lines: unknown[] = [];
    const svc = new PapersService({ log: recordingLogger(lines), now: () => new Date('2026-03-20T03:00:00Z') });
    const input = { ...sampleReceipt('kk'), printedAt: undefined };
    const pdf = await svc.receipt(input);
    expect(Buffer.from(pdf.subarray(0, 8)).toString('latin1')).toBe('%PDF-1.7');
    const logged = JSON.stringify(lines);
    expect(logged).toContain('"kind":"receipt"');
    for (const secret of ['150240012347', '900702400457', 'Омаров', 'Әбілқасымова', 'Қазметалл']) expect(logged).not.toContain(secret);
  });

  it('computes the expected result date with the working-day calendar', () => {
    const svc = new PapersService({ log: recordingLogger([]), now: () => new Date() });
    expect(svc.expectedResult(new Date('2026-03-18T05:42:00Z'), { unit: 'working_days', count: 10 }).date).toBe('2026-04-06');
  });
});
