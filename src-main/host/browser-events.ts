/**
 * The browser host's WebSocket at /events: the contract's events pushed to the page. Only our
 * own origin with the session (cookie, or the secret as a `token.` subprotocol for in-process
 * clients) may open it; it carries events out and closes on any message in.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket, WebSocketServer } from 'ws';
import { WS_PATH } from '../contract/wire.js';
import type { BrowserAccess } from './browser-access.js';
import type { Host } from './host.js';
import type { Logger } from './logger-types.js';

export function serveEvents(server: http.Server, access: BrowserAccess, events: Host['events'], log: Logger): { close(): void } {
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
      !access.hostAllowed(req.headers.host) ||
      !access.originAllowed(req.headers.origin ?? '') ||
      !(access.tokenOk(tokenProto?.slice('token.'.length)) || access.cookieOk(req))
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
          log.warn({ err: e }, 'browser host: a WebSocket upgrade failed');
          socket.destroy();
        }
      },
      (e: unknown) => {
        log.error({ err: e }, 'browser host: the WebSocket library did not load');
        socket.destroy();
      },
    );
  });
  const unsubscribe = events.subscribe((name, payload) => {
    const msg = JSON.stringify({ name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  });
  return {
    close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      void wssLoaded?.then((wss) => wss.close());
    },
  };
}
