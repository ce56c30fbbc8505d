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
 * (test/integration/host/browser-host-fuzz.test.ts throws 10,000 hostile requests at it).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { WebSocket, WebSocketServer } from 'ws';
import { API_PREFIX, TOKEN_HEADER, WS_PATH, type Envelope } from '../contract/wire.js';
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
/** How long a one-time code stays valid: the launcher opens the browser at once. */
const OPEN_CODE_TTL_MS = 2 * 60_000;
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

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const tokenBuf = Buffer.from(token);
  const tokenOk = (candidate: unknown) => {
    if (typeof candidate !== 'string' || !candidate) return false;
    const c = Buffer.from(candidate);
    return c.length === tokenBuf.length && timingSafeEqual(c, tokenBuf);
  };
  let port = 0;
  let cookieName = 'qabyldau';
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  let headers: Record<string, string> = {};
  /** One-time codes and when each stops being valid. */
  const openCodes = new Map<string, number>();
  const newCode = () => {
    const code = randomBytes(32).toString('hex');
    openCodes.set(code, Date.now() + OPEN_CODE_TTL_MS);
    return code;
  };
  const takeCode = (code: string | null): boolean => {
    if (!code) return false;
    for (const [c, until] of openCodes) {
      if (until < Date.now()) openCodes.delete(c);
      else if (c.length === code.length && timingSafeEqual(Buffer.from(c), Buffer.from(code))) {
        openCodes.delete(c);
        return true;
      }
    }
    return false;
  };
  const cookieOk = (req: http.IncomingMessage) => tokenOk(cookieValue(req.headers.cookie, cookieName));

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const send = (status: number, body: string | Buffer, type = 'application/json; charset=utf-8', extra: Record<string, string> = {}) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
      res.end(body);
    };
    if (!allowedHosts().has(req.headers.host ?? '')) {
      send(421, JSON.stringify({ error: 'wrong host' }));
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins().has(origin)) {
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

    if (path === OPEN_PATH) {
      if (req.method !== 'GET') {
        send(405, 'method not allowed', 'text/plain; charset=utf-8');
        return;
      }
      if (takeCode(queryParam(req.url, 'code'))) {
        const cookie = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
        send(303, '', 'text/plain; charset=utf-8', { location: '/', 'set-cookie': cookie, 'cache-control': 'no-store' });
      } else if (cookieOk(req)) {
        send(303, '', 'text/plain; charset=utf-8', { location: '/', 'cache-control': 'no-store' });
      } else {
        opts.log.warn('browser host: an opening link was used twice, had expired or was wrong');
        send(
          403,
          'Бұл сілтеме пайдаланылған. Qabyldau-ды қайта іске қосыңыз.\nЭта ссылка уже использована. Перезапустите Qabyldau.\nThis link was already used. Start Qabyldau again.\n',
          'text/plain; charset=utf-8',
        );
      }
      return;
    }

    if (path.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') {
        send(405, JSON.stringify({ error: 'POST only' }));
        return;
      }
      // The header (in-process clients), or the cookie from a page of our own origin.
      const authorised = tokenOk(req.headers[TOKEN_HEADER]) || (origin !== undefined && cookieOk(req));
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
      return;
    }

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
  };

  const server = http.createServer((req, res) => {
    // Nothing thrown while answering may escape: one bad request must not end the host.
    try {
      req.on('error', () => res.destroy());
      handle(req, res);
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

  // The WebSocket library loads on the first upgrade, not at start (about 60 ms of start-up saved,
  // bench/startup): the page's first paint does not need it.
  let wssLoaded: Promise<WebSocketServer> | null = null;
  const webSocketServer = () =>
    (wssLoaded ??= import('ws').then(
      ({ WebSocketServer }) =>
        new WebSocketServer({
          noServer: true,
          maxPayload: 64 * 1024,
          handleProtocols: (protocols) => (protocols.has('qabyldau') ? 'qabyldau' : false),
        }),
    ));
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    const protocolHeader = req.headers['sec-websocket-protocol'];
    const offered = (typeof protocolHeader === 'string' ? protocolHeader : '').split(',').map((s) => s.trim());
    const tokenProto = offered.find((p) => p.startsWith('token.'));
    if (
      path !== WS_PATH ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !origins().has(req.headers.origin ?? '') ||
      !(tokenOk(tokenProto?.slice('token.'.length)) || cookieOk(req))
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    webSocketServer().then(
      (wss) => {
        try {
          wss.handleUpgrade(req, socket, head, (ws) => {
            sockets.add(ws);
            ws.on('close', () => sockets.delete(ws));
            ws.on('error', () => ws.terminate());
            ws.on('message', () => ws.close(1008, 'events only'));
          });
        } catch (e) {
          opts.log.warn({ err: e }, 'browser host: a WebSocket upgrade failed');
          socket.destroy();
        }
      },
      (e: unknown) => {
        opts.log.error({ err: e }, 'browser host: the WebSocket library did not load');
        socket.destroy();
      },
    );
  });
  const unsubscribe = opts.host.events.subscribe((name, payload) => {
    const msg = JSON.stringify({ name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  });

  let portFallback = false;
  try {
    await listen(server, opts.port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port === 0) throw e;
    opts.log.warn({ port: opts.port }, 'browser host: port taken, using a free one');
    portFallback = true;
    await listen(server, 0);
  }
  port = (server.address() as AddressInfo).port;
  cookieName = `qabyldau-${port}`;
  const origin = `http://127.0.0.1:${port}`;
  headers = securityHeaders(contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }));
  opts.log.info({ port, portFallback }, 'browser host listening');
  const newOpenUrl = () => `${origin}${OPEN_PATH}?code=${newCode()}`;

  return {
    port,
    origin,
    url: newOpenUrl(),
    newOpenUrl,
    token,
    cookieName,
    portFallback,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const ws of sockets) ws.terminate();
        void wssLoaded?.then((wss) => wss.close());
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
