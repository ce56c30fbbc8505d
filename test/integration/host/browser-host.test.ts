import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventBus } from '../../../src-main/host/events.js';
import { startBrowserHost } from '../../../src-main/host/browser-host.js';
import { silentLogger } from '../../../src-main/host/logger-types.js';
import { startStack, type Stack } from '../../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

function rawRequest(opts: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: stack.web.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json' };

describe('browser host', () => {
  it('listens on loopback only', () => {
    expect(stack.web.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the renderer with a strict CSP and no-sniff', async () => {
    const res = await rawRequest({ path: '/' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="root">');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses an API call without the token, or with a wrong one', async () => {
    const none = await rawRequest({ path: '/api/app.info', method: 'POST', headers: json, body: '{}' });
    expect(none.status).toBe(401);
    const wrong = await rawRequest({ path: '/api/app.info', method: 'POST', headers: { ...json, 'x-qabyldau-token': 'f'.repeat(64) }, body: '{}' });
    expect(wrong.status).toBe(401);
    const right = await rawRequest({ path: '/api/app.info', method: 'POST', headers: { ...json, 'x-qabyldau-token': stack.web.token }, body: '{}' });
    expect(right.status).toBe(200);
    expect((JSON.parse(right.body) as { ok: boolean }).ok).toBe(true);
  });

  it('refuses a call from another web page (foreign Origin) even with the token', async () => {
    const res = await rawRequest({
      path: '/api/app.info',
      method: 'POST',
      headers: { ...json, origin: 'http://evil.example', 'x-qabyldau-token': stack.web.token },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });

  it('refuses a DNS-rebinding Host header', async () => {
    const res = await rawRequest({ path: '/', headers: { host: `evil.example:${stack.web.port}` } });
    expect(res.status).toBe(421);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await rawRequest({ path: '/..%2f..%2fpackage.json' });
    expect(res.status).toBe(404);
    const res2 = await rawRequest({ path: '/../../package.json' });
    expect(res2.status).toBe(404);
  });

  it('answers malformed JSON with a typed VALIDATION envelope', async () => {
    const res = await rawRequest({ path: '/api/auth.login', method: 'POST', headers: { ...json, 'x-qabyldau-token': stack.web.token }, body: '{"login":' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('delivers events over the WebSocket only to a holder of the token', async () => {
    const url = `ws://127.0.0.1:${stack.web.port}/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url, ['qabyldau', 'token.' + '0'.repeat(64)], { origin: stack.web.origin });
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(refused).toBe('refused');
    const foreign = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url, ['qabyldau', `token.${stack.web.token}`], { origin: 'http://evil.example' });
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(foreign).toBe('refused');
    const ws = new WebSocket(url, ['qabyldau', `token.${stack.web.token}`], { origin: stack.web.origin });
    await new Promise((r) => ws.on('open', r));
    const got = new Promise<{ name: string; payload: unknown }>((resolve) => ws.on('message', (m: Buffer) => resolve(JSON.parse(m.toString()) as { name: string; payload: unknown })));
    stack.host.events.publish('session.ended', { reason: 'idle' });
    expect(await got).toEqual({ name: 'session.ended', payload: { reason: 'idle' } });
    ws.close();
  });

  it('takes another free port when the configured one is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const web = await startBrowserHost({
      host: { dispatcher: stack.host.dispatcher, events: new EventBus(silentLogger) },
      rendererDir: '/nonexistent',
      port: taken,
      log: silentLogger,
    });
    try {
      expect(web.portFallback).toBe(true);
      expect(web.port).not.toBe(taken);
    } finally {
      await web.close();
      blocker.close();
    }
  });

  it('answers malformed paths with 400 and keeps serving (a lone "%" used to kill it)', async () => {
    for (const path of ['/%', '/api/%E0%A4%A', '/%zz/index.html', '/a%00b', '/api/app.info%', '/..%5c..%5cpackage.json']) {
      const res = await rawRequest({ path, method: path.startsWith('/api/') ? 'POST' : 'GET', headers: { ...json, 'x-qabyldau-token': stack.web.token }, body: '{}' });
      expect([path, res.status]).toEqual([path, 400]);
    }
    expect((await rawRequest({ path: '/' })).status).toBe(200);
  });

  it('hands the session over by a one-time code for an HttpOnly, SameSite=Strict cookie; the secret is not in the URL', async () => {
    const u = new URL(stack.web.newOpenUrl());
    expect(u.pathname).toBe('/open');
    expect(u.href).not.toContain(stack.web.token);
    const first = await rawRequest({ path: u.pathname + u.search });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toBe(`${stack.web.cookieName}=${stack.web.token}; HttpOnly; SameSite=Strict; Path=/`);
    // The same code again, without the cookie: nothing.
    expect((await rawRequest({ path: u.pathname + u.search })).status).toBe(403);
    expect((await rawRequest({ path: '/open?code=' + 'a'.repeat(64) })).status).toBe(403);
    const jar = { cookie: `${stack.web.cookieName}=${stack.web.token}` };
    // The cookie works from our own page (with its Origin), never without an Origin or from another one.
    const own = await rawRequest({ path: '/api/app.info', method: 'POST', headers: { ...json, ...jar, origin: stack.web.origin }, body: '{}' });
    expect(own.status).toBe(200);
    expect((await rawRequest({ path: '/api/app.info', method: 'POST', headers: { ...json, ...jar }, body: '{}' })).status).toBe(401);
    const otherPort = await rawRequest({ path: '/api/app.info', method: 'POST', headers: { ...json, ...jar, origin: 'http://127.0.0.1:1' }, body: '{}' });
    expect(otherPort.status).toBe(403);
    const ws = new WebSocket(`ws://127.0.0.1:${stack.web.port}/events`, ['qabyldau'], { origin: stack.web.origin, headers: jar });
    await new Promise((r, j) => {
      ws.on('open', r);
      ws.on('error', j);
    });
    ws.close();
  });
});
