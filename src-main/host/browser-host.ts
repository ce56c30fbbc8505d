/**
 * The browser host: the same host, served to a browser over loopback. It serves the built
 * renderer and the contract: POST /api/<operation> (JSON in, an Envelope out) and a WebSocket at
 * /events for the contract's events. It contains no logic of its own.
 *
 * Who may drive it: only the browser it was opened in. The URL it prints (and the launcher puts on
 * Chromium's command line) carries a one-time code, not a credential: GET /open?code=… exchanges
 * it, once, for a session cookie (HttpOnly, SameSite=Strict, named for this port) and redirects
 * to the app; a used or unknown code opens nothing. The API and the WebSocket take the cookie
 * (or, for in-process clients such as the tests, the same secret in a header; never on a command
 * line). On top:
 * - it listens on 127.0.0.1 only;
 * - the Host header must be 127.0.0.1:<port> or localhost:<port> (no DNS rebinding);
 * - a request with an Origin must come from our own origin, and a cookie-authenticated API call
 *   must carry it (another page, even one served by another port of this machine, is refused).
 *
 * Hostile input never takes it down: a malformed path, header or body is answered 400 (a
 * request the HTTP parser itself rejects gets a 400 and the connection is closed), a handler
 * failure 500, and nothing thrown while answering escapes the request
 * (test/faults/host/browser-host-fuzz.test.ts throws 10,000 hostile requests at it).
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { API_PREFIX, TOKEN_HEADER, type Envelope } from '../contract/wire.js';
import { BrowserAccess } from './browser-access.js';
import { serveEvents } from './browser-events.js';
import { contentSecurityPolicy, securityHeaders } from './csp.js';
import type { Host } from './host.js';
import type { Logger } from './logger-types.js';

export interface BrowserHostOptions {
  host: Pick<Host, 'dispatcher' | 'events'>;
  rendererDir: string;
  port: number;
  log: Logger;
  /** For tests: a fixed session secret. */
  token?: string;
}

export interface BrowserHost {
  port: number;
  origin: string;
  /** The URL to open once: origin plus /open?code=<one-time code>. */
  url: string;
  /** Another one-time URL (a second browser, or a test's fresh browser context). */
  newOpenUrl(): string;
  /** The session secret, for in-process clients (the header); the browser gets it as a cookie. */
  token: string;
  /** The session cookie's name (it is named for the port). */
  cookieName: string;
  /** True when the configured port was taken and another was chosen. */
  portFallback: boolean;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Largest API body: a page import of 25 MB in base64, plus JSON. */
const MAX_BODY = 36 * 1024 * 1024;
const OPEN_PATH = '/open';

class BadRequest extends Error {}

/** The request's path, decoded; BadRequest for anything that is not a plain origin-form path. */
export function requestPath(rawUrl: string | undefined): string {
  const raw = rawUrl ?? '';
  if (!raw.startsWith('/') || raw.startsWith('//')) throw new BadRequest('not an origin-form path');
  let path: string;
  try {
    path = decodeURIComponent(raw.split('?')[0]!.split('#')[0]!);
  } catch {
    throw new BadRequest('malformed percent-encoding');
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw new BadRequest('control character or backslash in the path');
  return path;
}

function queryParam(rawUrl: string | undefined, name: string): string | null {
  try {
    return new URL(rawUrl ?? '/', 'http://127.0.0.1').searchParams.get(name);
  } catch {
    return null;
  }
}

type Send = (status: number, body: string | Buffer, type?: string, extra?: Record<string, string>) => void;

interface HandlerContext {
  opts: BrowserHostOptions;
  access: BrowserAccess;
  /** The security headers of every answer (set once the port is known). */
  headers: () => Record<string, string>;
}

/** Answers one HTTP request: the opening link, the API, or a file of the built renderer. */
function handleRequest(ctx: HandlerContext, req: http.IncomingMessage, res: http.ServerResponse): void {
  const send: Send = (status, body, type = 'application/json; charset=utf-8', extra = {}) => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { ...ctx.headers(), 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  if (!ctx.access.hostAllowed(req.headers.host ?? '')) {
    send(421, JSON.stringify({ error: 'wrong host' }));
    return;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !ctx.access.originAllowed(origin)) {
    send(403, JSON.stringify({ error: 'foreign origin' }));
    return;
  }
  let path: string;
  try {
    path = requestPath(req.url);
  } catch {
    send(400, JSON.stringify({ error: 'bad request' }));
    return;
  }
  if (path === OPEN_PATH) openSession(ctx, req, send);
  else if (path.startsWith(API_PREFIX)) callApi(ctx, req, res, path, send);
  else serveFile(ctx, req, path, send);
}

/** GET /open?code=…: a valid one-time code becomes the session cookie, once. */
function openSession({ opts, access }: HandlerContext, req: http.IncomingMessage, send: Send): void {
  if (req.method !== 'GET') {
    send(405, 'method not allowed', 'text/plain; charset=utf-8');
    return;
  }
  if (access.takeCode(queryParam(req.url, 'code'))) {
    send(303, '', 'text/plain; charset=utf-8', { location: '/', 'set-cookie': access.sessionCookie(), 'cache-control': 'no-store' });
  } else if (access.cookieOk(req)) {
    send(303, '', 'text/plain; charset=utf-8', { location: '/', 'cache-control': 'no-store' });
  } else {
    opts.log.warn('browser host: an opening link was used twice, had expired or was wrong');
    send(
      403,
      'Бұл сілтеме пайдаланылған. Qabyldau-ды қайта іске қосыңыз.\nЭта ссылка уже использована. Перезапустите Qabyldau.\nThis link was already used. Start Qabyldau again.\n',
      'text/plain; charset=utf-8',
    );
  }
}

/** POST /api/<operation>: JSON in, the dispatcher's Envelope out. */
function callApi({ opts, access }: HandlerContext, req: http.IncomingMessage, res: http.ServerResponse, path: string, send: Send): void {
  if (req.method !== 'POST') {
    send(405, JSON.stringify({ error: 'POST only' }));
    return;
  }
  // The header (in-process clients), or the cookie from a page of our own origin.
  const authorised = access.tokenOk(req.headers[TOKEN_HEADER]) || (req.headers.origin !== undefined && access.cookieOk(req));
  if (!authorised) {
    send(401, JSON.stringify(envelopeError('FORBIDDEN')));
    return;
  }
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    send(415, JSON.stringify(envelopeError('VALIDATION')));
    return;
  }
  readBody(req, MAX_BODY)
    .then(async (body) => {
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch {
        send(400, JSON.stringify(envelopeError('VALIDATION')));
        return;
      }
      const envelope = await opts.host.dispatcher.invoke(path.slice(API_PREFIX.length), input);
      send(200, JSON.stringify(envelope));
    })
    .catch((e: unknown) => {
      if (e instanceof BodyTooLarge) send(413, JSON.stringify(envelopeError('VALIDATION')));
      else if (e instanceof BodyAborted) res.destroy();
      else {
        opts.log.warn({ err: e }, 'browser host: request failed');
        send(500, JSON.stringify(envelopeError('INTERNAL')));
      }
    });
}

/** A file of the built renderer; nothing outside its folder. */
function serveFile({ opts }: HandlerContext, req: http.IncomingMessage, path: string, send: Send): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(405, 'method not allowed', 'text/plain');
    return;
  }
  const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  const file = normalize(join(opts.rendererDir, rel));
  if (!file.startsWith(normalize(opts.rendererDir) + sep)) {
    send(404, 'not found', 'text/plain');
    return;
  }
  readFile(file)
    .then((data) => send(200, data, MIME[extname(file)] ?? 'application/octet-stream'))
    .catch(() => send(404, 'not found', 'text/plain'));
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const access = new BrowserAccess(opts.token);
  let headers: Record<string, string> = {};
  const ctx: HandlerContext = { opts, access, headers: () => headers };

  const server = http.createServer((req, res) => {
    // Nothing thrown while answering may escape: one bad request must not end the host.
    try {
      req.on('error', () => res.destroy());
      handleRequest(ctx, req, res);
    } catch (e) {
      opts.log.warn({ err: e }, 'browser host: a request could not be answered');
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'bad request' }));
      } else res.destroy();
    }
  });
  // What the HTTP parser rejects (a malformed request line or header, a header too large) gets a
  // 400 and the connection closes; it never reaches the handler.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (socket.writable && err.code !== 'ECONNRESET') {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else socket.destroy();
  });
  // CONNECT (a proxy's method): answered, never left hanging (without a listener Node drops it).
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  const events = serveEvents(server, access, opts.host.events, opts.log);

  let portFallback = false;
  try {
    await listen(server, opts.port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port === 0) throw e;
    opts.log.warn({ port: opts.port }, 'browser host: port taken, using a free one');
    portFallback = true;
    await listen(server, 0);
  }
  const port = (server.address() as AddressInfo).port;
  access.port = port;
  const origin = `http://127.0.0.1:${port}`;
  headers = securityHeaders(contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }));
  opts.log.info({ port, portFallback }, 'browser host listening');
  const newOpenUrl = () => `${origin}${OPEN_PATH}?code=${access.newCode()}`;

  return {
    port,
    origin,
    url: newOpenUrl(),
    newOpenUrl,
    token: access.token,
    cookieName: access.cookieName,
    portFallback,
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function envelopeError(code: string): Envelope {
  return { ok: false, error: { code, params: {}, retryable: false } };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

class BodyTooLarge extends Error {}
class BodyAborted extends Error {}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > max) {
        reject(new BodyTooLarge());
        chunks.length = 0;
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('aborted', () => reject(new BodyAborted()));
    req.on('error', () => reject(new BodyAborted()));
  });
}
