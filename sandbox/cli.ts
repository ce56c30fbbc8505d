/**
 * `npm run sandbox`: starts the sandbox licensing backend on 127.0.0.1.
 *
 *   --pki DIR             a test PKI made by scripts/make-test-pki.sh (default: the development PKI
 *                         of `npm start`, .qabyldau-dev/pki-<port>-crl<port+1>): HTTPS with tls/server.pem,
 *                         client certificates required from tls/ca.pem (mutual TLS), operators'
 *                         signatures checked against ca/root.pem, results signed with provider/signer
 *   --port N              the gateway port (default 8787; 0 = any free port)
 *   --admin-port N        the admin API port (default: gateway port + 2; 0 = any)
 *   --crl-port N          the CRL distribution point, when the PKI has crl/ (default: gateway port + 1)
 *   --data DIR            SQLite file, documents and results (default .qabyldau-dev/sandbox)
 *   --decision-delay-ms N time from registration to the decision (default 3000)
 *   --faults FILE         fault rules at start (JSON, see sandbox/faults.ts)
 *   --insecure-http       DEVELOPMENT ONLY: plain HTTP without TLS when no --pki is given
 *   --no-verify           fast mode for load tests and benchmarks: operators' signatures are NOT
 *                         checked (everything else is: manifest, documents, Centre, idempotency)
 * Overrides of single parts: --cert, --key, --client-ca, --trust-roots, --provider-cert,
 * --provider-key, --provider-chain, --crl-dir.
 *
 * The admin token is written to <data>/admin-token (mode 0600); it is never printed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startSandbox } from './server.js';
import { opensslVerifier } from './verify.js';

const { values } = parseArgs({
  options: {
    pki: { type: 'string', default: process.env.SANDBOX_PKI },
    port: { type: 'string', default: process.env.SANDBOX_PORT ?? '8787' },
    'admin-port': { type: 'string' },
    'crl-port': { type: 'string' },
    data: { type: 'string', default: process.env.SANDBOX_DATA_DIR ?? '.qabyldau-dev/sandbox' },
    'decision-delay-ms': { type: 'string', default: '3000' },
    faults: { type: 'string' },
    'insecure-http': { type: 'boolean', default: false },
    'no-verify': { type: 'boolean', default: false },
    cert: { type: 'string' },
    key: { type: 'string' },
    'client-ca': { type: 'string' },
    'trust-roots': { type: 'string', default: process.env.SANDBOX_TRUST_ROOTS },
    'provider-cert': { type: 'string' },
    'provider-key': { type: 'string' },
    'provider-chain': { type: 'string' },
    'crl-dir': { type: 'string', default: process.env.SANDBOX_CRL_DIR },
  },
});

const port = Number(values.port);
/** Without --pki (plain `npm run sandbox`): the development PKI that `npm start` uses, made if missing. */
async function defaultPki(): Promise<string | null> {
  const script = join(process.cwd(), 'scripts', 'dev-pki.mjs');
  if (values['insecure-http'] || port === 0 || !existsSync(script)) return null;
  const { ensureDevPki } = (await import(pathToFileURL(script).href)) as { ensureDevPki: (dir: string, port: number) => { dir: string } | null };
  return ensureDevPki(resolve('.qabyldau-dev'), port)?.dir ?? null;
}
const pki = values.pki ? resolve(values.pki) : await defaultPki();
const fromPki = (rel: string) => (pki && existsSync(join(pki, rel)) ? join(pki, rel) : undefined);
const pick = (flag: string | undefined, rel: string) => (flag ? resolve(flag) : fromPki(rel));

const cert = pick(values.cert, 'tls/server.pem');
const key = pick(values.key, 'tls/server.key.pem');
const clientCa = pick(values['client-ca'], 'tls/ca.pem');
const trustRoots = pick(values['trust-roots'], 'ca/root.pem');
const providerCert = pick(values['provider-cert'], 'provider/signer.pem');
const providerKey = pick(values['provider-key'], 'provider/signer.key.pem');
const providerChain = pick(values['provider-chain'], 'provider/chain.pem');
const crlDir = pick(values['crl-dir'], 'crl');

if (!(cert && key) && !values['insecure-http']) {
  console.error('[sandbox] no TLS certificate: give --pki DIR (see scripts/make-test-pki.sh), or --insecure-http for plain HTTP (development only)');
  process.exit(2);
}
if (!(cert && key)) console.warn('[sandbox] WARNING: plain HTTP without TLS (--insecure-http): development only');
else if (!clientCa) console.warn('[sandbox] no client CA: client certificates are not required');
if (values['no-verify']) console.warn('[sandbox] --no-verify: submissions are accepted without checking their signatures (load tests only)');
else if (!trustRoots) console.warn('[sandbox] no trust roots: submissions are accepted without checking their signatures');
if (!(providerCert && providerKey)) console.warn('[sandbox] no provider key: requests are never approved');

const data = resolve(values.data);
const sandbox = await startSandbox({
  dataDir: data,
  port,
  adminPort: values['admin-port'] !== undefined ? Number(values['admin-port']) : port === 0 ? 0 : port + 2,
  ...(cert && key ? { tls: { certFile: cert, keyFile: key, ...(clientCa ? { clientCaFile: clientCa } : {}) } } : {}),
  ...(trustRoots && !values['no-verify'] ? { verifySubmission: opensslVerifier(trustRoots) } : {}),
  ...(providerCert && providerKey ? { provider: { certFile: providerCert, keyFile: providerKey, ...(providerChain ? { chainFile: providerChain } : {}) } } : {}),
  ...(crlDir ? { crlDir, crlPort: values['crl-port'] !== undefined ? Number(values['crl-port']) : port === 0 ? 0 : port + 1 } : {}),
  decisionDelayMs: Number(values['decision-delay-ms']),
  ...(values.faults ? { faults: JSON.parse(readFileSync(resolve(values.faults), 'utf8')) as never } : {}),
  log: (m) => console.log(`[sandbox] ${m}`),
});
writeFileSync(join(data, 'admin-token'), sandbox.adminToken, { mode: 0o600 });
if (sandbox.crlUrl) console.log(`[sandbox] CRL distribution point on ${sandbox.crlUrl}/crl/`);
console.log(`[sandbox] admin API on ${sandbox.adminUrl} (bearer token in ${join(data, 'admin-token')})`);
console.log(`[sandbox] licensing backend (protocol v1) listening on ${sandbox.url}`);
const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
