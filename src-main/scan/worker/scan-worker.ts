/**
 * The scanner worker process: the only process that talks to scanners, through every driver
 * (SANE by node-sane, eSCL over HTTP; drivers/). A crashing or hanging driver takes down this
 * process, never the app; the service's watchdog restarts it. Started as a Node child process (child_process.fork, IPC channel) under the
 * browser host, or as an Electron utilityProcess (src-main/electron/scan-worker-electron.ts).
 *
 * No `electron` import here: Electron's parent port is found at run time on `process.parentPort`.
 */
import { mkdir } from 'node:fs/promises';
import { load } from 'node-sane';
import { AppError, isAppError } from '../../contract/errors.js';
import type { ScanDriver } from '../drivers/driver.js';
import { EsclDriver } from '../drivers/escl/escl-driver.js';
import { SaneDriver } from '../drivers/sane-driver.js';
import type { FromWorker, ToWorker, WorkerError } from '../protocol.js';
import type { ScanDevice } from '../types.js';
import { JobRun } from './job-runner.js';

interface ParentPort {
  send(m: FromWorker): void;
  onMessage(cb: (m: ToWorker) => void): void;
}

interface ElectronParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

function parentPort(): ParentPort {
  const pp = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (pp) {
    return { send: (m) => pp.postMessage(m), onMessage: (cb) => pp.on('message', (e) => cb(e.data as ToWorker)) };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // The parent went away: nothing left to serve.
    process.on('disconnect', () => process.exit(0));
    return { send: (m) => void send(m), onMessage: (cb) => process.on('message', (m) => cb(m as ToWorker)) };
  }
  throw new Error('scan worker must be started with an IPC channel (fork or utilityProcess)');
}

const HEARTBEAT_MS = Number(process.env.QAB_SCAN_HEARTBEAT_MS ?? 500);

async function main(): Promise<void> {
  const port = parentPort();
  const loaded = load();
  let sane: SaneDriver | null = null;
  if (loaded.available) {
    try {
      const v = await loaded.binding.init();
      sane = new SaneDriver(loaded.binding);
      port.send({ type: 'ready', pid: process.pid, sane: { available: true, version: v.version } });
    } catch (e) {
      port.send({ type: 'ready', pid: process.pid, sane: { available: false, reason: 'init-failed', detail: e instanceof Error ? e.message : String(e) } });
    }
  } else {
    port.send({ type: 'ready', pid: process.pid, sane: { available: false, reason: loaded.reason, detail: loaded.detail } });
  }
  // eSCL needs nothing installed: it is there on every platform.
  const escl = new EsclDriver();
  const drivers: ScanDriver[] = [escl, ...(sane ? [sane] : [])];

  setInterval(() => port.send({ type: 'heartbeat', at: Date.now() }), HEARTBEAT_MS).unref();

  const runs = new Map<string, JobRun>();

  const driverFor = (deviceId: string): ScanDriver => {
    const d = drivers.find((x) => x.owns(deviceId));
    if (!d) throw new AppError('SCAN_NO_SANE');
    return d;
  };

  const handle = async (m: ToWorker): Promise<unknown> => {
    switch (m.type) {
      case 'devices': {
        // Each driver answers on its own: a network scanner that does not answer never hides the
        // USB ones, and the other way round.
        const lists = await Promise.all(
          drivers.map((d) => (d === escl ? escl.devices(m.drivers, { refresh: m.refresh ?? false }) : d.devices(m.drivers))),
        );
        return lists.flat() satisfies ScanDevice[];
      }
      case 'capabilities':
        return driverFor(m.deviceId).capabilities(m.deviceId, m.drivers);
      case 'scan': {
        const driver = driverFor(m.job.deviceId);
        await mkdir(m.job.spoolDir, { recursive: true });
        const run = new JobRun(driver, m.drivers, m.job, (msg) => port.send(msg));
        runs.set(m.job.jobId, run);
        void run.run().finally(() => runs.delete(m.job.jobId));
        return { accepted: true };
      }
      case 'cancel': {
        await runs.get(m.jobId)?.cancel();
        return { cancelled: runs.has(m.jobId) };
      }
      case 'shutdown': {
        for (const r of runs.values()) await r.cancel();
        for (const d of drivers) await d.close?.();
        setTimeout(() => process.exit(0), 10);
        return { bye: true };
      }
    }
  };

  port.onMessage((m) => {
    handle(m).then(
      (value) => port.send({ type: 'result', reqId: m.reqId, ok: true, value }),
      (e: unknown) => port.send({ type: 'result', reqId: m.reqId, ok: false, error: toWorkerError(e) }),
    );
  });
}

function toWorkerError(e: unknown): WorkerError {
  if (isAppError(e)) return { code: e.code, params: e.params };
  const status = (e as { status?: unknown } | null)?.status;
  return {
    code: 'SCAN_DEVICE_ERROR',
    ...(typeof status === 'string' ? { status, params: { status } } : {}),
    detail: e instanceof Error ? e.message : String(e),
  };
}

main().catch((e: unknown) => {
  console.error('scan worker failed to start:', e);
  process.exit(70);
});
