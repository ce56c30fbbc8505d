/**
 * Starts the real parts for a test: the sandbox backend (HTTPS with mutual TLS + SQLite, the test
 * PKI's certificates), a host on a fresh data directory that speaks to it with the test client
 * certificate, and the browser host in front of it; `api()` calls operations over HTTP with the
 * token, exactly as the renderer does.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src-main/host/config.js';
import { startBrowserHost, type BrowserHost } from '../../src-main/host/browser-host.js';
import { createHost, type Host, type HostOptions } from '../../src-main/host/host.js';
import { createLogger, type HostLogger } from '../../src-main/host/logger.js';
import { appRoot } from '../../src-main/host/paths.js';
import type { RequestDetail } from '../../src-main/contract/model.js';
import type { OpInput, OpName, OpOutput } from '../../src-main/contract/operations.js';
import type { Envelope } from '../../src-main/contract/wire.js';
import { SandboxAdmin } from '../../sandbox/admin-client.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/server.js';
import { opensslVerifier } from '../../sandbox/verify.js';
import { backendTlsEnv, preloadCrl, signingEnv, testPki, type TestPki } from './pki.js';
import { processPapers } from './papers.js';
import { buildScanWorker } from './scan/worker-build.js';

export interface Stack {
  dir: string;
  /** The per-user configuration file the settings screen writes. */
  userConfigFile: string;
  config: Config;
  sandbox: Sandbox | null;
  /** The admin API of the running sandbox (statistics, faults, decisions). */
  admin: SandboxAdmin;
  pki: TestPki;
  host: Host;
  web: BrowserHost;
  logger: HostLogger;
  /** Calls an operation as the renderer does; the answer is typed by the contract. */
  api<N extends OpName>(op: N, input?: OpInput<N>): Promise<Envelope<OpOutput<N>>>;
  /** Calls an operation and returns its value (throws on an error envelope). */
  ok<N extends OpName>(op: N, input?: OpInput<N>): Promise<OpOutput<N>>;
  /** Sends anything (unknown names, invalid inputs): for tests of the boundary itself. */
  raw(op: string, input: unknown): Promise<Envelope>;
  login(): Promise<void>;
  startSandbox(): Promise<Sandbox>;
  stopSandbox(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Start without a backend (offline). */
  backendDown?: boolean;
  /** Sign with the test PKI's operator key; the sandbox checks signatures with openssl. */
  signing?: boolean;
  env?: Record<string, string>;
  host?: Partial<Omit<HostOptions, 'config' | 'log' | 'shell'>>;
  sandbox?: Partial<SandboxOptions>;
  rendererDir?: string;
  /** The per-user configuration file's content at start (settings the UI would have written). */
  userConfig?: Record<string, unknown>;
  /** An administrator's catalogue file, placed in the data folder (data/catalog/services.json) before the start. */
  catalog?: Record<string, unknown>;
  /** An administrator's texts of the regulations (data/catalog/regulations/NNN.txt), by seed. */
  regulations?: Record<string, string>;
  /** An administrator's step norms file (data/catalog/norms.json), placed before the start. */
  norms?: unknown;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'qab-stack-'));
  const pki = testPki();
  if (opts.signing) await preloadCrl(pki, join(dir, 'data'));
  let sandbox: Sandbox | null = null;
  let sandboxPort = 0;
  const bootSandbox = async () => {
    sandbox = await startSandbox({
      dataDir: join(dir, 'sandbox'),
      port: sandboxPort,
      tls: { certFile: pki.tls.serverCert, keyFile: pki.tls.serverKey, clientCaFile: pki.tls.ca },
      provider: { certFile: pki.provider.cert, keyFile: pki.provider.key, chainFile: pki.provider.chain },
      decisionDelayMs: 500,
      ...(opts.signing ? { verifySubmission: opensslVerifier(pki.trustRoots) } : {}),
      ...opts.sandbox,
    });
    sandboxPort = sandbox.port;
    return sandbox;
  };
  if (!opts.backendDown) await bootSandbox();
  else sandboxPort = await freePort(); // a fixed backend URL for the app to fail against
  const userConfigFile = join(dir, 'user-config.json');
  if (opts.userConfig) await writeFile(userConfigFile, JSON.stringify(opts.userConfig, null, 2));
  const { config, provenance, sources } = loadConfig({
    env: {
      HOME: dir,
      QABYLDAU_MACHINE_CONFIG: join(dir, 'none-machine.json'),
      QABYLDAU_USER_CONFIG: userConfigFile,
      QABYLDAU_DATA_DIR: join(dir, 'data'),
      QABYLDAU_BACKEND__URL: `https://127.0.0.1:${sandboxPort}`,
      QABYLDAU_BACKEND__TIMEOUT_MS: '3000',
      QABYLDAU_AUTH__SEED_DEMO_ACCOUNTS: 'true',
      ...backendTlsEnv(pki),
      ...(opts.signing ? signingEnv(pki) : {}),
      ...opts.env,
    },
  });
  if (opts.catalog) {
    await mkdir(join(config.dataDir, 'catalog'), { recursive: true });
    await writeFile(join(config.dataDir, 'catalog', 'services.json'), JSON.stringify(opts.catalog));
  }
  if (opts.norms !== undefined) {
    await mkdir(join(config.dataDir, 'catalog'), { recursive: true });
    await writeFile(join(config.dataDir, 'catalog', 'norms.json'), JSON.stringify(opts.norms));
  }
  for (const [seed, text] of Object.entries(opts.regulations ?? {})) {
    await mkdir(join(config.dataDir, 'catalog', 'regulations'), { recursive: true });
    await writeFile(join(config.dataDir, 'catalog', 'regulations', `${seed}.txt`), text);
  }
  const logger = await createLogger({ dataDir: config.dataDir, level: 'debug', maxFileSizeMb: 10, maxFiles: 3 });
  const host = await createHost({
    config,
    shell: 'browser',
    log: logger.logger,
    startSync: false,
    scanWorkerEntry: await buildScanWorker(),
    provenance,
    configSources: sources,
    userConfigFile,
    // Log-ins by the hundred across the suite: a cheap scrypt here (the production cost, N=2^17,
    // is asserted in test/unit/auth); everything else about passwords is the app's.
    passwordHashLogN: 10,
    // The process's papers worker (papers.ts) rather than one per stack: it keeps no state.
    papers: processPapers(),
    ...opts.host,
  });
  const web = await startBrowserHost({
    host,
    rendererDir: opts.rendererDir ?? join(appRoot(), 'dist', 'renderer'),
    port: 0,
    log: logger.logger,
  });
  const raw = async (op: string, input: unknown = {}): Promise<Envelope> => {
    const post = () =>
      fetch(`${web.origin}/api/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-qabyldau-token': web.token },
        body: JSON.stringify(input),
      });
    let res: Response;
    try {
      res = await post();
    } catch (e) {
      // fetch reuses kept-alive connections; on a loaded machine it can send on one the host has
      // just closed as idle (after 5 s), and the request meets a reset before the host read it.
      // The host closes only idle connections, so nothing was done: send it once more.
      if ((e as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw e;
      res = await post();
    }
    return (await res.json()) as Envelope;
  };
  // The browser host validated the output against the contract before sending it.
  const api = <N extends OpName>(op: N, input: OpInput<N> | Record<string, never> = {}) => raw(op, input) as Promise<Envelope<OpOutput<N>>>;
  const stack: Stack = {
    dir,
    userConfigFile,
    config,
    get sandbox() {
      return sandbox;
    },
    get admin() {
      if (!sandbox) throw new Error('the sandbox is not running');
      return new SandboxAdmin(sandbox.adminUrl, sandbox.adminToken);
    },
    pki,
    host,
    web,
    logger,
    api,
    raw,
    async ok<N extends OpName>(op: N, input?: OpInput<N>) {
      const e = await api(op, input);
      if (!e.ok) throw new Error(`${op} failed: ${JSON.stringify(e.error)}`);
      return e.value;
    },
    async login() {
      await stack.ok('auth.login', { login: 'operator', password: 'operator123' });
    },
    startSandbox: bootSandbox,
    async stopSandbox() {
      await sandbox?.close();
      sandbox = null;
    },
    async close() {
      await web.close();
      await host.close();
      await logger.close();
      await sandbox?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A port nothing listens on (taken and released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Real page files from the SANE test device (100 dpi): a gray JPEG and a colour PNG. */
export const FIXTURES = join(appRoot(), 'test', 'fixtures');

/**
 * P5 through the contract: marks every required document presented and imports the gray test
 * page into it; `original` says for which slots the paper is an original (a copy otherwise).
 */
export async function presentRequiredDocuments(
  s: Pick<Stack, 'ok'>,
  r: RequestDetail,
  original: (slotId: string) => boolean = () => true,
): Promise<RequestDetail> {
  const page = readFileSync(join(FIXTURES, 'page-gray.jpg')).toString('base64');
  let detail = r;
  for (const slot of r.slots.filter((x) => x.required)) {
    await s.ok('request.setDocument', { requestId: r.id, slotId: slot.slotId, presented: true, original: original(slot.slotId) });
    detail = await s.ok('pages.import', { requestId: r.id, slotId: slot.slotId, fileName: 'p.jpg', dataBase64: page });
  }
  return detail;
}
