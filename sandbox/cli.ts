/**
 * `npm run sandbox`: starts the sandbox licensing backend on 127.0.0.1.
 * Options: --port N (default 8787; 0 = any free port), --data DIR (default .qabyldau-dev/sandbox),
 * --trust-roots PEM (check submissions' signatures with openssl against these CAs),
 * --crl-dir DIR (serve the test CA's CRLs at /crl/<name>, standing in for the CA's distribution point).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.js';
import { opensslVerifier } from './verify.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8787' },
    data: { type: 'string', default: process.env.SANDBOX_DATA_DIR ?? '.qabyldau-dev/sandbox' },
    'trust-roots': { type: 'string', default: process.env.SANDBOX_TRUST_ROOTS },
    'crl-dir': { type: 'string', default: process.env.SANDBOX_CRL_DIR },
  },
});
if (!values['trust-roots']) console.warn('[sandbox] no --trust-roots: submissions are accepted without checking their signatures');

const sandbox = await startSandbox({
  dataDir: resolve(values.data),
  port: Number(values.port),
  log: (m) => console.log(`[sandbox] ${m}`),
  ...(values['trust-roots'] ? { verifySubmission: opensslVerifier(resolve(values['trust-roots'])) } : {}),
  ...(values['crl-dir'] ? { crlDir: resolve(values['crl-dir']) } : {}),
});
console.log(`[sandbox] licensing backend (protocol v1) listening on ${sandbox.url}`);
const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
