/**
 * `npm run sandbox`: starts the sandbox licensing backend on 127.0.0.1.
 * Options: --port N (default 8787; 0 = any free port), --data DIR (default .qabyldau-dev/sandbox).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8787' },
    data: { type: 'string', default: process.env.SANDBOX_DATA_DIR ?? '.qabyldau-dev/sandbox' },
  },
});

const sandbox = await startSandbox({
  dataDir: resolve(values.data),
  port: Number(values.port),
  log: (m) => console.log(`[sandbox] ${m}`),
});
console.log(`[sandbox] licensing backend (protocol v1) listening on ${sandbox.url}`);
const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
