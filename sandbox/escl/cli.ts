/**
 * Runs the sandbox eSCL scanner alone (development, the scan bench's separate process):
 *   npx tsx sandbox/escl/cli.ts [--port 0] [--feeder 20] [--page-ms 1000] [--no-adf]
 * Prints one JSON line {"url": ...} when listening. Loopback only. With --control, reads JSON
 * commands on stdin: {"load": n} puts n more sheets in the feeder; {"faults": {...}} sets faults;
 * {"prerender": {...}} renders pages ahead. Answers each with a JSON line.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SandboxEsclScanner } from './scanner.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    feeder: { type: 'string', default: '20' },
    'page-ms': { type: 'string', default: '0' },
    'no-adf': { type: 'boolean', default: false },
    control: { type: 'boolean', default: false },
  },
});

const scanner = new SandboxEsclScanner({ feeder: Number(values.feeder), pageMs: Number(values['page-ms']), adf: !values['no-adf'] });
const url = await scanner.start(Number(values.port));
process.stdout.write(JSON.stringify({ url, port: scanner.port }) + '\n');

if (values.control) {
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    void (async () => {
      const cmd = JSON.parse(line) as { load?: number; faults?: Record<string, unknown>; prerender?: Parameters<SandboxEsclScanner['prerender']>[0]; requests?: boolean };
      if (cmd.load) scanner.load(cmd.load);
      if (cmd.faults) Object.assign(scanner.faults, cmd.faults);
      if (cmd.prerender) await scanner.prerender(cmd.prerender);
      process.stdout.write(JSON.stringify({ ok: true, feeder: scanner.feeder.length, ...(cmd.requests ? { requests: scanner.requests.length } : {}) }) + '\n');
    })();
  });
  rl.on('close', () => void scanner.stop().then(() => process.exit(0)));
}
const stop = () => void scanner.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
