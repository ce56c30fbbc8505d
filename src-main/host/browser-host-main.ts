/**
 * Entry point of the browser host (`node dist/main/browser-host.js`): the app without Electron.
 * Prints one line `QABYLDAU_URL=<url>` on stdout for the launcher, and human messages on stderr.
 */
import { join } from 'node:path';
import { startBrowserHost } from './browser-host.js';
import { appRoot } from './paths.js';
import { describeStartError, startHost } from './start.js';

try {
  const started = await startHost('browser', { onQuit: () => process.kill(process.pid, 'SIGTERM') });
  const { host, logger, loaded } = started;
  const web = await startBrowserHost({
    host,
    rendererDir: join(appRoot(), 'dist', 'renderer'),
    port: loaded.config.browserHost.port,
    log: logger.logger.child({ svc: 'browser-host' }),
  });
  if (web.portFallback) {
    console.error(`[qabyldau] port ${loaded.config.browserHost.port} is taken: using ${web.port} instead`);
  }
  process.stdout.write(`QABYLDAU_URL=${web.url}\n`);
  if (host.bootstrapToken) {
    console.error(`[qabyldau] no account exists yet: the one-time code for the first administrator is ${host.bootstrapToken} (also in ${join(loaded.config.dataDir, 'first-administrator.token')})`);
  }
  console.error(`[qabyldau] browser host on ${web.origin} (data: ${loaded.config.dataDir}, logs: ${logger.file}*.log)`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void web
      .close()
      .then(() => host.close())
      .then(() => logger.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(`[qabyldau] ${describeStartError(e)}`);
  process.exit(2);
}
