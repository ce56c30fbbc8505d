/**
 * The scanner worker under Electron: a utilityProcess (a Node process that Electron supervises;
 * it can load native addons such as node-sane). Everything else is in src-main/scan behind the
 * WorkerSpawner interface. The worker finds its port on process.parentPort.
 */
import { utilityProcess } from 'electron';
import type { FromWorker } from '../scan/protocol.js';
import type { WorkerSpawner } from '../scan/worker-host.js';

export function electronScanWorkerSpawner(entry: string): WorkerSpawner {
  return {
    spawn(env) {
      const child = utilityProcess.fork(entry, [], { env: { ...process.env, ...env }, serviceName: 'Qabyldau scanner', stdio: 'ignore' });
      return {
        get pid() {
          return child.pid;
        },
        send: (m) => child.postMessage(m),
        kill: () => void child.kill(),
        onMessage: (cb) => child.on('message', (m: FromWorker) => cb(m)),
        onExit: (cb) => child.on('exit', (code: number) => cb(code, null)),
      };
    },
  };
}
