/**
 * The sandbox licensing backend: a stand-in for E-licensing behind the e-government gateway,
 * speaking protocol v1 (docs/gateway-protocol.md) over real HTTPS with mutual TLS and its own
 * SQLite file. It is a separate program for development and tests; it is never packaged.
 *
 * Three listeners, all on loopback by default:
 *  - the gateway: HTTPS, the workstation's client certificate required when `tls.clientCaFile` is
 *    set (plain HTTP only when `tls` is absent: a development option, never for the tests of TLS);
 *  - the admin API (admin-api.ts; plain HTTP on 127.0.0.1, a bearer token): statistics, fault injection,
 *    maintenance windows, decisions. The workstation's credentials do not reach it;
 *  - optionally the test CA's CRL distribution point (plain HTTP, as CRLs are published).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { adminApi } from './admin-api.js';
import { Backend, PROTOCOL, type BodyReader } from './backend.js';
import { openSandboxDb, type SandboxDb } from './db.js';
import { FaultInjector, type ActiveFault, type Endpoint, type FaultConfig } from './faults.js';
import { reportRoutes } from './reports.js';
import { errorAnswer, HttpError, rawResponse, readBody, send, serialise, type Answer } from './http-util.js';
import { findKazakhFont, loadCatalogue, type ProviderKey } from './permit.js';
import type { SubmissionVerifier } from './verify.js';

export interface SandboxOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** HTTPS with this server certificate; with `clientCaFile`, mutual TLS (a client certificate is required). Absent: plain HTTP (development only). */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string } | null;
  /** The admin listener (plain HTTP, 127.0.0.1); 0 = any free port. */
  adminPort?: number;
  /** The admin bearer token (default: random per start). */
  adminToken?: string;
  /** Checks each submission's CMS (sandbox/verify.ts); absent: signatures are not checked. */
  verifySubmission?: SubmissionVerifier;
  /** The provider's key that signs results; absent: nothing can be approved. */
  provider?: ProviderKey;
  /** Time from registration to the decision (default 2000 ms; half-way the status is under_review). */
  decisionDelayMs?: number;
  /** A TTF with Kazakh letters for the permit PDF (default: DejaVu Sans if installed). */
  fontFile?: string | null;
  catalogueFile?: string;
  faults?: FaultConfig;
  /** Development only: serve <crlDir>/*.crl.der at /crl/<name>.crl on a plain-HTTP port. */
  crlDir?: string;
  crlPort?: number;
  maxDocumentBytes?: number;
  now?: () => Date;
  log?: (msg: string) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  adminUrl: string;
  adminToken: string;
  crlUrl: string | null;
  db: SandboxDb;
  backend: Backend;
  faults: FaultInjector;
  /**
   * Resolves once no gateway request is being handled: the work of a request whose client gave up
   * (a timed-out submission still being verified) is done and counted. Tests wait for it between
   * cases, so one case's abandoned requests never land in the next case's figures.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, m: RegExpMatchArray, url: URL, read: BodyReader) => Answer | Promise<Answer>;
interface Route {
  method: string;
  pattern: RegExp;
  endpoint: Endpoint;
  handle: Handler;
}

const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;

function gatewayRoutes(b: Backend, certCn: (req: http.IncomingMessage) => string | null): Route[] {
  return [
    { method: 'GET', pattern: /^\/v1\/health$/, endpoint: 'health', handle: () => b.health() },
    { method: 'GET', pattern: /^\/v1\/registry\/individuals\/(\d{12})$/, endpoint: 'individual', handle: (_q, m) => b.registries.individual(m[1]!) },
    { method: 'GET', pattern: /^\/v1\/registry\/entities\/(\d{12})$/, endpoint: 'entity', handle: (_q, m) => b.registries.entity(m[1]!) },
    {
      method: 'GET',
      pattern: /^\/v1\/registry\/powers-of-attorney\/([A-Za-z0-9-]{1,40})$/,
      endpoint: 'powerOfAttorney',
      handle: (_q, m, url) => b.registries.powerOfAttorney(m[1]!, url.searchParams),
    },
    { method: 'POST', pattern: /^\/v1\/documents$/, endpoint: 'uploadStart', handle: (_q, _m, _u, read) => b.uploads.startUpload(read) },
    { method: 'GET', pattern: /^\/v1\/documents\/([0-9a-f]{64})$/, endpoint: 'uploadState', handle: (_q, m) => b.uploads.uploadState(m[1]!) },
    { method: 'PUT', pattern: /^\/v1\/documents\/([0-9a-f]{64})\/chunks\/(\d{1,7})$/, endpoint: 'chunk', handle: (q, m, _u, read) => b.uploads.putChunk(read, q.headers['x-qabyldau-chunk-sha256'], m[1]!, Number(m[2])) },
    { method: 'POST', pattern: /^\/v1\/documents\/([0-9a-f]{64})\/complete$/, endpoint: 'uploadComplete', handle: (_q, m) => b.uploads.completeUpload(m[1]!) },
    { method: 'POST', pattern: /^\/v1\/submissions$/, endpoint: 'submit', handle: (q, _m, _u, read) => b.submit(read, certCn(q)) },
    { method: 'POST', pattern: /^\/v1\/submission-statuses$/, endpoint: 'statusBatch', handle: (_q, _m, _u, read) => b.statusBatch(read) },
    { method: 'GET', pattern: /^\/v1\/submissions\/([A-Z0-9-]{1,64})$/, endpoint: 'status', handle: (_q, m) => b.status(m[1]!) },
    { method: 'GET', pattern: /^\/v1\/submissions\/([A-Z0-9-]{1,64})\/result$/, endpoint: 'result', handle: (_q, m) => b.result(m[1]!, 'pdf') },
    { method: 'GET', pattern: /^\/v1\/submissions\/([A-Z0-9-]{1,64})\/result\/signature$/, endpoint: 'resultCms', handle: (_q, m) => b.result(m[1]!, 'cms') },
    { method: 'POST', pattern: /^\/v1\/submissions\/([A-Z0-9-]{1,64})\/issued$/, endpoint: 'ack', handle: (_q, m, _u, read) => b.acknowledge(read, m[1]!) },
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  mkdirSync(opts.dataDir, { recursive: true });
  const db = openSandboxDb(join(opts.dataDir, 'sandbox.sqlite'), opts.log);
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => {});
  const fontFile = opts.fontFile === undefined ? findKazakhFont() : opts.fontFile;
  if (!fontFile) log('no font with Kazakh letters found (Debian: fonts-dejavu-core): permits are written in English only');
  const backend = new Backend({
    dataDir: opts.dataDir,
    db,
    now,
    log,
    ...(opts.verifySubmission ? { verifySubmission: opts.verifySubmission } : {}),
    ...(opts.provider ? { provider: opts.provider } : {}),
    fontFile,
    catalogue: loadCatalogue(opts.catalogueFile),
    decisionDelayMs: opts.decisionDelayMs ?? 2000,
    maxDocumentBytes: opts.maxDocumentBytes ?? 200 * 1024 * 1024,
  });
  const faults = new FaultInjector(opts.faults ?? null, now);
  const mtls = Boolean(opts.tls?.clientCaFile);
  const certCn = (req: http.IncomingMessage): string | null => {
    const sock = req.socket as TLSSocket;
    if (typeof sock.getPeerCertificate !== 'function') return null;
    const cn = sock.getPeerCertificate()?.subject?.CN;
    return typeof cn === 'string' ? cn : Array.isArray(cn) ? (cn[0] ?? null) : null;
  };
  const routes: Route[] = [...gatewayRoutes(backend, certCn), ...reportRoutes(db)];
  const sockets = new Set<Socket>();

  const handleGateway = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const requestId = typeof req.headers['x-qabyldau-request-id'] === 'string' && REQUEST_ID.test(req.headers['x-qabyldau-request-id']) ? req.headers['x-qabyldau-request-id'] : null;
    const common: Record<string, string> = { 'x-qabyldau-protocol': String(PROTOCOL), ...(requestId ? { 'x-qabyldau-request-id': requestId } : {}) };
    const reply = (a: Answer) => send(res, serialise(a, common));
    const fail = (e: HttpError) => {
      req.resume();
      reply(errorAnswer(e));
    };

    // Mutual TLS: the handshake asked for a certificate; nothing is processed without a trusted
    // one. `authorized` alone is not enough: on a resumed TLS session without a certificate,
    // OpenSSL's verify result is "OK", so the certificate's presence is checked too.
    if (mtls) {
      const sock = req.socket as TLSSocket;
      const peer = sock.getPeerCertificate();
      const none = !peer || Object.keys(peer).length === 0;
      if (none || !sock.authorized) {
        res.setHeader('connection', 'close');
        return fail(none ? new HttpError(401, 'CLIENT_CERT_REQUIRED') : new HttpError(403, 'CLIENT_CERT_UNTRUSTED'));
      }
    }
    const route = routes.find((r) => r.method === req.method && r.pattern.test(url.pathname));
    if (!route) return fail(new HttpError(404, 'NO_SUCH_ENDPOINT'));
    const version = req.headers['x-qabyldau-protocol'];
    if (route.endpoint !== 'health' && version !== String(PROTOCOL)) {
      return fail(new HttpError(400, 'PROTOCOL_UNSUPPORTED', false, { supported: [PROTOCOL] }));
    }
    const left = faults.maintenanceLeft();
    if (left > 0) return fail(new HttpError(503, 'MAINTENANCE', true, { retryAfterSeconds: left }, { 'retry-after': String(left) }));

    const fault = faults.draw(route.endpoint);
    if (fault?.when === 'before') {
      const r = fault.rule;
      switch (fault.kind) {
        case 'error': {
          const status = r.status ?? 500;
          // 400: the request refused for good, as a backend answers one it will never take.
          if (status === 400) return fail(new HttpError(400, 'BAD_REQUEST', false));
          return fail(new HttpError(status, status === 503 ? 'UNAVAILABLE' : status === 504 ? 'TIMEOUT' : status === 502 ? 'BAD_GATEWAY' : 'INTERNAL', true));
        }
        case 'rateLimit':
        case 'maintenance': {
          const s = r.retryAfterSeconds ?? 1;
          const [status, code] = fault.kind === 'rateLimit' ? [429, 'RATE_LIMITED'] : [503, 'MAINTENANCE'];
          if (r.retryAfterHeader !== undefined) return fail(new HttpError(status, code, true, {}, { 'retry-after': r.retryAfterHeader }));
          return fail(new HttpError(status, code, true, { retryAfterSeconds: s }, { 'retry-after': String(s) }));
        }
        case 'latency':
          await sleep(r.ms ?? 1000);
          break;
        case 'reset':
          req.socket.destroy();
          return;
        default:
          break;
      }
    }

    let body: Promise<Buffer> | null = null;
    const read: BodyReader = (max) => (body ??= readBody(req, max));
    let answer: Answer;
    try {
      const match = url.pathname.match(route.pattern)!;
      answer = await route.handle(req, match, url, read);
      // The gateway delivered the request twice: the backend processes the same bytes again.
      if (fault?.kind === 'duplicate') await route.handle(req, match, url, read);
    } catch (e) {
      req.resume();
      if (e instanceof HttpError) answer = errorAnswer(e);
      else {
        log(`internal error on ${route.endpoint}: ${e instanceof Error ? e.message : String(e)}`);
        answer = errorAnswer(new HttpError(500, 'INTERNAL', true));
      }
    }
    if (fault?.when === 'after') return spoil(res, serialise(answer, common), fault);
    reply(answer);
  };

  const spoil = (res: http.ServerResponse, s: ReturnType<typeof serialise>, fault: ActiveFault) => {
    switch (fault.kind) {
      case 'error': {
        // The work is done, but the answer is a server error (a proxy's 5xx after the backend).
        const status = fault.rule.status ?? 500;
        const e = serialise(errorAnswer(new HttpError(status, status === 502 ? 'BAD_GATEWAY' : 'INTERNAL', true)), { 'x-qabyldau-protocol': String(PROTOCOL) });
        return send(res, e);
      }
      case 'reset': {
        // Headers and half the body, then the connection is cut.
        res.writeHead(s.status, s.headers);
        res.write(s.body.subarray(0, Math.floor(s.body.byteLength / 2)));
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      case 'truncated': {
        const cut = s.body.subarray(0, Math.max(1, Math.floor(s.body.byteLength / 2)));
        return send(res, { ...s, headers: { ...s.headers, 'content-length': String(cut.byteLength) }, body: cut });
      }
      case 'malformed': {
        const body = Buffer.from(fault.rule.body ?? '<html><body><h1>502 Bad Gateway</h1></body></html>{"registrationNumber":', 'utf8');
        return send(res, { status: 200, headers: { ...s.headers, 'content-type': 'application/json', 'content-length': String(body.byteLength) }, body });
      }
      case 'oversized': {
        const body = Buffer.from(JSON.stringify({ padding: 'x'.repeat(fault.rule.bytes ?? 4 * 1024 * 1024) }), 'utf8');
        return send(res, { status: 200, headers: { ...s.headers, 'content-type': 'application/json', 'content-length': String(body.byteLength) }, body });
      }
      case 'duplicate': {
        // The same response twice on the connection: a keep-alive client that is not careful
        // would read the second copy as the answer to its next request.
        send(res, s);
        res.once('finish', () => {
          if (res.socket && !res.socket.destroyed) res.socket.write(rawResponse(s));
        });
        return;
      }
      default:
        return send(res, s);
    }
  };

  let inFlight = 0;
  const settledWaiters: (() => void)[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    handleGateway(req, res)
      .catch((e: unknown) => {
        log(`unexpected: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) send(res, serialise(errorAnswer(new HttpError(500, 'INTERNAL', true)), {}));
        else res.destroy();
      })
      .finally(() => {
        if (--inFlight === 0) for (const w of settledWaiters.splice(0)) w();
      });
  };
  const server = opts.tls
    ? https.createServer(
        {
          cert: readFileSync(opts.tls.certFile),
          key: readFileSync(opts.tls.keyFile),
          ...(opts.tls.clientCaFile ? { ca: readFileSync(opts.tls.clientCaFile), requestCert: true, rejectUnauthorized: false } : {}),
          minVersion: 'TLSv1.2',
        },
        onRequest,
      )
    : http.createServer(onRequest);
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (opts.tls) server.on('secureConnection', (s: TLSSocket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
  const admin = http.createServer(adminApi(backend, faults, adminToken, log));

  const crl = opts.crlDir
    ? http.createServer((req, res) => {
        const m = /^\/crl\/([A-Za-z0-9_.-]+)\.crl$/.exec(req.url ?? '');
        if (req.method !== 'GET' || !m) {
          res.writeHead(404).end();
          return;
        }
        readFile(join(opts.crlDir!, `${m[1]}.crl.der`)).then(
          (der) => res.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': der.byteLength }).end(der),
          () => res.writeHead(404).end(),
        );
      })
    : null;

  const listen = (s: http.Server, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
    });
  const host = opts.host ?? '127.0.0.1';
  const port = await listen(server, opts.port ?? 0, host);
  const adminPort = await listen(admin, opts.adminPort ?? 0, '127.0.0.1');
  const crlPort = crl ? await listen(crl, opts.crlPort ?? 0, '127.0.0.1') : null;

  const tick = setInterval(() => {
    backend.decideDue().catch((e: unknown) => log(`decision failed: ${e instanceof Error ? e.message : String(e)}`));
  }, Math.max(20, Math.min(250, Math.floor((opts.decisionDelayMs ?? 2000) / 4))));
  tick.unref();

  const closeServer = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  let closed = false;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    adminToken,
    crlUrl: crlPort ? `http://127.0.0.1:${crlPort}` : null,
    db,
    backend,
    faults,
    settled: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => settledWaiters.push(r))),
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(tick);
      for (const s of sockets) s.destroy();
      await Promise.all([closeServer(server), closeServer(admin), ...(crl ? [closeServer(crl)] : [])]);
      // Let a decision under way finish before the file closes.
      while (backend.busy) await sleep(10);
      db.close();
    },
  };
}
