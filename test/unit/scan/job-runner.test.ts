/**
 * The worker's job runner reports a run's end only once the device is released. The service
 * starts the operator's next job on that report, and a SANE backend answers an open of a device
 * still being closed with DEVICE_BUSY: an operator who cancels and scans again at once would get
 * "scanner busy" with nothing scanned. A device double (named as such: the real device's close is
 * too quick to hold open on demand) keeps its close pending until the test lets it finish.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ESCL, DeviceStatusError, type DriverSession, type ScanDriver } from '../../../src-main/scan/drivers/driver.js';
import type { FromWorker, WorkerJob } from '../../../src-main/scan/protocol.js';
import { JobRun } from '../../../src-main/scan/worker/job-runner.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A device whose sheet never finishes reading until cancelled, and whose close waits for `releaseClose`. */
function deviceDouble(o: { feederEmpty?: boolean } = {}) {
  const log: string[] = [];
  let cancelled = false;
  let releaseClose: () => void = () => {};
  const closing = new Promise<void>((r) => (releaseClose = r));
  const session: DriverSession = {
    start: () => {
      log.push('start');
      if (o.feederEmpty) return Promise.reject(new DeviceStatusError('NO_DOCS'));
      return Promise.resolve({ format: 'GRAY', depth: 8, pixelsPerLine: 16, lines: 16, bytesPerLine: 16 });
    },
    read: async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { bytes: 0, status: cancelled ? 'CANCELLED' : 'GOOD' };
    },
    cancel: () => {
      log.push('cancel');
      cancelled = true;
      return Promise.resolve();
    },
    close: async () => {
      log.push('close called');
      await closing;
      log.push('closed');
    },
  };
  const driver: ScanDriver = {
    name: 'sane',
    owns: () => true,
    devices: () => Promise.resolve([]),
    capabilities: () => Promise.reject(new Error('not in this double')),
    open: () => Promise.resolve(session),
  } as unknown as ScanDriver;
  return { driver, log, releaseClose: () => releaseClose() };
}

async function job(): Promise<WorkerJob> {
  const spoolDir = await mkdtemp(join(tmpdir(), 'qab-job-runner-'));
  dirs.push(spoolDir);
  return {
    jobId: 'job-1',
    deviceId: 'test:0',
    settings: { source: 'adf', mode: 'gray', dpi: 75, pageSize: 'A4' },
    firstIndex: 1,
    startsBefore: 0,
    maxPages: null,
    blank: { enabled: true, inkThreshold: 0.002, marginFraction: 0.04 },
    spoolDir,
    deviceOptions: {},
    optionSchedule: [],
    thumbnailMaxPx: 64,
    jpegQuality: 80,
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('job runner: the end of a run', () => {
  it('is reported after a cancelled run has closed the device, not before', async () => {
    const dev = deviceDouble();
    const sent: FromWorker[] = [];
    const run = new JobRun(dev.driver, { escl: DEFAULT_ESCL }, await job(), (m) => {
      sent.push(m);
      if (m.type === 'job-end') dev.log.push('job-end');
    });
    const ran = run.run();
    await until(() => sent.some((m) => m.type === 'progress' && m.phase === 'reading'));
    await run.cancel();
    await until(() => dev.log.includes('close called'));
    // The device is still closing: the service must not yet hear that the run is over.
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.filter((m) => m.type === 'job-end')).toEqual([]);
    dev.releaseClose();
    await ran;
    expect(dev.log).toEqual(['start', 'cancel', 'close called', 'closed', 'job-end']);
    expect(sent.at(-1)).toMatchObject({ type: 'job-end', reason: 'cancelled', pages: 0 });
  });

  it('is reported after the device is closed when the feeder is empty too', async () => {
    const dev = deviceDouble({ feederEmpty: true });
    const sent: FromWorker[] = [];
    const run = new JobRun(dev.driver, { escl: DEFAULT_ESCL }, await job(), (m) => {
      sent.push(m);
      if (m.type === 'job-end') dev.log.push('job-end');
    });
    const ran = run.run();
    await until(() => dev.log.includes('close called'));
    expect(sent.filter((m) => m.type === 'job-end')).toEqual([]);
    dev.releaseClose();
    await ran;
    expect(dev.log).toEqual(['start', 'close called', 'closed', 'job-end']);
    expect(sent.at(-1)).toMatchObject({ type: 'job-end', reason: 'feeder-empty', status: 'NO_DOCS' });
  });
});
