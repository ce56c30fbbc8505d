/**
 * The HTTP(S) transport of the gateway client: the configured CA and client certificate (mutual
 * TLS), kept-alive connections with a bound on their number, a deadline per request, a cap on
 * every response's size, a request id that the server must echo (so an answer can never be taken
 * for another's, even when a connection delivers a stray duplicate), and every failure mapped to
 * a typed AppError, retryable or not (docs/gateway-protocol.md, "Errors").
 *
 * Built on node:http(s) rather than fetch so the CA, the client key, the socket and the body size
 * are under our control. Key material and passphrases are never logged nor put into errors.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { AppError } from '../contract/errors.js';

/** What the TLS layer needs; built by loadTlsCredentials (tls.ts) from the configuration. */
export interface TlsCredentials {
  /** PEM of the CA(s) that sign the backend's certificate (absent: the system's CAs). */
  ca?: string;
  /** PEM client certificate (chain) and its private key. */
  cert?: string;
  key?: string;
  /** Or a PKCS#12 with the client certificate and key. */
  pfx?: Buffer;
  passphrase?: string;
}

export interface Transport {
  readonly baseUrl: URL;
  readonly agent: http.Agent;
  close(): void;
}

export function createTransport(baseUrl: string, tls: TlsCredentials | null, opts: { maxSockets?: number } = {}): Transport {
  const url = new URL(baseUrl);
  const common = { keepAlive: true, keepAliveMsecs: 10_000, maxSockets: opts.maxSockets ?? 8, maxFreeSockets: opts.maxSockets ?? 8, timeout: 60_000 };
  const agent =
    url.protocol === 'https:'
      ? new https.Agent({ ...common, ...(tls ?? {}), minVersion: 'TLSv1.2' })
      : new http.Agent(common);
  return { baseUrl: url, agent, close: () => agent.destroy() };
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  /**
   * Send the request again at once on a fresh connection when a kept-alive one turns out dead
   * before any answer (default true). A chunk's caller says false: on a line that drops, the body
   * may well have reached the server, so it asks the server instead of sending the body again.
   */
  resendOnStale?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
}

const SERVER_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A low-level failure as the typed error the protocol says: retryable or not. */
export function transportError(e: NodeJS.ErrnoException): AppError {
  const code = e.code ?? '';
  if (SERVER_CERT_CODES.has(code)) return new AppError('GATEWAY_TLS', {}, { cause: e, detail: code });
  // The server's TLS alert about our certificate: absent, from a CA it does not trust, revoked…
  if (/ALERT_(CERTIFICATE_REQUIRED|UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED)/.test(code)) {
    return new AppError('GATEWAY_CLIENT_CERT_REFUSED', {}, { cause: e, detail: code });
  }
  if (/^ERR_SSL_|^ERR_TLS_/.test(code)) return new AppError('GATEWAY_TLS', {}, { cause: e, detail: code });
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(code)) {
    return new AppError('GATEWAY_UNREACHABLE', {}, { retryable: true, cause: e, detail: code });
  }
  return new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true, cause: e, detail: code || e.message });
}

/** When a kept-alive connection last finished an answer (performance.now()). */
const IDLE_SINCE = Symbol('idleSince');
/**
 * A kept-alive connection idle this long that turns out dead was closed by the server for
 * idleness: nothing of the request reached it, so it is sent again at once whatever the caller
 * said (a connection cut while busy is a line that drops).
 */
const KEEPALIVE_IDLE_MS = 1000;

function once(t: Transport, call: HttpCall, requestId: string): Promise<HttpResponse & { stale?: boolean; idleMs?: number; socket?: Socket }> {
  const url = new URL(call.path, t.baseUrl);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    let gotResponse = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const fail = (e: AppError, destroy = true) =>
      finish(() => {
        if (destroy) req.destroy();
        reject(e);
      });
    const req = lib.request(
      url,
      {
        method: call.method,
        agent: t.agent,
        headers: {
          accept: 'application/json',
          'x-qabyldau-request-id': requestId,
          ...(call.body ? { 'content-length': String(call.body.byteLength) } : {}),
          ...call.headers,
        },
      },
      (res) => {
        gotResponse = true;
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > call.maxResponseBytes) {
          fail(new AppError('GATEWAY_RESPONSE_TOO_LARGE', { limit: call.maxResponseBytes }, { retryable: true }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > call.maxResponseBytes) {
            fail(new AppError('GATEWAY_RESPONSE_TOO_LARGE', { limit: call.maxResponseBytes }, { retryable: true }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (res.socket) (res.socket as Socket & { [IDLE_SINCE]?: number })[IDLE_SINCE] = performance.now();
          finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), requestId, socket: res.socket }));
        });
        res.on('error', (e: NodeJS.ErrnoException) => fail(new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true, cause: e })));
        res.on('close', () => {
          if (!res.complete) fail(new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true, detail: 'closed mid-body' }));
        });
      },
    );
    const timer = setTimeout(
      () => fail(new AppError('GATEWAY_TIMEOUT', { seconds: Math.max(1, Math.round(call.timeoutMs / 1000)) }, { retryable: true })),
      call.timeoutMs,
    );
    let idleMs = 0;
    req.on('socket', (sock: Socket & { [IDLE_SINCE]?: number }) => {
      idleMs = sock[IDLE_SINCE] === undefined ? 0 : performance.now() - sock[IDLE_SINCE];
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive connection the server had already closed: nothing reached the server.
      if (!gotResponse && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE')) {
        finish(() => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), requestId, stale: true, idleMs }));
        return;
      }
      fail(transportError(e), false);
    });
    req.end(call.body);
  });
}

/**
 * One exchange. Checks that a successful answer carries our request id (x-qabyldau-request-id):
 * a missing or different one is GATEWAY_BAD_RESPONSE, and the connection is dropped.
 */
export async function httpRequest(t: Transport, call: HttpCall): Promise<HttpResponse> {
  const requestId = randomUUID();
  let res = await once(t, call, requestId);
  // Every message of the protocol is idempotent, so a request lost on a stale kept-alive
  // connection is sent again once, on a fresh connection (unless the caller would rather ask).
  if (res.stale && (call.resendOnStale !== false || (res.idleMs ?? 0) >= KEEPALIVE_IDLE_MS)) res = await once(t, call, requestId);
  if (res.stale) throw new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true, detail: 'stale connection' });
  const echoed = res.headers['x-qabyldau-request-id'];
  const mustEcho = res.status >= 200 && res.status < 300;
  if ((mustEcho && echoed !== requestId) || (echoed !== undefined && echoed !== requestId)) {
    res.socket?.destroy();
    throw new AppError('GATEWAY_BAD_RESPONSE', { status: res.status }, { retryable: true, detail: 'request id not echoed' });
  }
  return { status: res.status, headers: res.headers, body: res.body, requestId };
}

/** Parses a JSON object body or throws GATEWAY_BAD_RESPONSE (truncated, malformed, not an object). */
export function parseJsonBody(res: HttpResponse): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(res.body.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new AppError('GATEWAY_BAD_RESPONSE', { status: res.status }, { retryable: true, cause: e });
  }
}
