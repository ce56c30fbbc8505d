/**
 * The browser host: the same host, served to a browser over loopback. It serves the built
 * renderer and the contract: POST /api/<operation> (JSON in, an Envelope out) and a WebSocket at
 * /events for the contract's events. It contains no logic of its own.
 *
 * Who may drive it: only a page holding the per-start secret token. The token travels in the
 * URL's fragment (never sent over the network, never in server logs), the page keeps it in
 * sessionStorage and sends it in a header; the WebSocket offers it as a sub-protocol. On top:
 * - it listens on 127.0.0.1 only;
 * - the Host header must be 127.0.0.1:<port> or localhost:<port> (no DNS rebinding);
 * - a request with an Origin must come from our own origin (other web pages are refused even
 *   before the token is checked; their requests with a custom header need a CORS pre-flight,
 *   which this server never grants).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** For tests: a fixed token. */
  token?: string;
}

export interface BrowserHost {
  port: number;
  origin: string;
  /** The URL to open: origin plus the token in the fragment. */
  url: string;
  token: string;
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

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const tokenBuf = Buffer.from(token);
  const tokenOk = (candidate: string | undefined) => {
    if (!candidate) return false;
    const c = Buffer.from(candidate);
    return c.length === tokenBuf.length && timingSafeEqual(c, tokenBuf);
  };
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  let headers: Record<string, string> = {};

  const server = http.createServer((req, res) => {
    const send = (status: number, body: string | Buffer, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) });
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
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);

    if (path.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') {
        send(405, JSON.stringify({ error: 'POST only' }));
        return;
      }
      if (!tokenOk(req.headers[TOKEN_HEADER] as string | undefined)) {
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
          if ((e as Error).message === 'too large') send(413, JSON.stringify(envelopeError('VALIDATION')));
          else {
            opts.log.warn({ err: e }, 'browser host: request failed');
            if (!res.headersSent) send(500, JSON.stringify(envelopeError('INTERNAL')));
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
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const tokenProto = offered.find((p) => p.startsWith('token.'));
    if (
      path !== WS_PATH ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !origins().has(req.headers.origin ?? '') ||
      !tokenOk(tokenProto?.slice('token.'.length))
    ) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    webSocketServer().then(
      (wss) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.add(ws);
          ws.on('close', () => sockets.delete(ws));
          ws.on('message', () => ws.close(1008, 'events only'));
        }),
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
  const origin = `http://127.0.0.1:${port}`;
  headers = securityHeaders(contentSecurityPolicy({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }));
  opts.log.info({ port, portFallback }, 'browser host listening');

  return {
    port,
    origin,
    url: `${origin}/#token=${token}`,
    token,
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

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > max) {
        reject(new Error('too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
