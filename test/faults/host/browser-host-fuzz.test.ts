/**
 * The browser host cannot be knocked over: 10,000 hostile requests (random methods, paths with
 * broken percent-encoding, control bytes and traversal, hostile or malformed headers, wrong or
 * lying framing, random bodies, WebSocket upgrades and CONNECTs), written on raw sockets so
 * nothing in between tidies them up. Every one must be answered with an HTTP status line, none
 * with a 5xx, and the host must serve the app and the contract afterwards.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../support/stack.js';

const REQUESTS = 10_000;
const PARALLEL = 32;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ backendDown: true });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** A small seeded generator (mulberry32), so a failure can be replayed with its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const text = (n: number, alphabet = 'abcXYZ019%/._-~!$&\'()*+,;=:@?#[] \t"<>\\^`{|}') =>
    Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
  return { next, int, pick, bytes, text };
}

type R = ReturnType<typeof rng>;

const OPS = ['app.info', 'auth.session', 'auth.login', 'request.get', 'request.list', 'pages.import', 'nope', '__proto__', 'constructor', '../app.info'];

function hostilePath(r: R, port: number): string {
  switch (r.int(12)) {
    case 0: return '/%';
    case 1: return '/' + r.text(r.int(40));
    case 2: return '/api/' + r.pick(OPS) + r.pick(['', '%', '%zz', '%E0%A4%A', '?x=%', '#frag', '%00']);
    case 3: return '/' + '../'.repeat(r.int(8)) + r.pick(['package.json', 'etc/passwd', '%2e%2e%2fpackage.json']);
    case 4: return '/open?code=' + r.text(r.int(80), '0123456789abcdef%&=');
    case 5: return r.pick(['*', 'http://127.0.0.1/', `http://127.0.0.1:${port}/api/app.info`, '//evil.example/', '']);
    case 6: return '/' + Buffer.from(r.bytes(r.int(30))).toString('latin1');
    case 7: return '/' + 'a'.repeat(r.int(20_000));
    case 8: return '/events';
    case 9: return '/assets/' + encodeURIComponent(r.text(10)) + '.js';
    case 10: return '/' + '%C0%AF'.repeat(r.int(10)) + '%ff%fe';
    default: return r.pick(['/', '/index.html', '/api/', '/api', '/favicon.svg']);
  }
}

function hostileRequest(r: R, port: number, token: string, cookieName: string): Buffer {
  const method = r.pick(['GET', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'BREW', 'get', 'G ET', '']);
  const path = hostilePath(r, port);
  const headers: string[] = [];
  const host = r.pick([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, 'evil.example', '', `127.0.0.1:${port}, evil`]);
  if (r.next() < 0.95) headers.push(`Host: ${host}`);
  if (r.next() < 0.5) headers.push(`Origin: ${r.pick([`http://127.0.0.1:${port}`, 'http://evil.example', 'null', `http://127.0.0.1:${port + 1}`, r.text(20)])}`);
  if (r.next() < 0.6) headers.push(`Content-Type: ${r.pick(['application/json', 'application/json; charset=utf-8', 'text/plain', r.text(15)])}`);
  if (r.next() < 0.5) headers.push(`x-qabyldau-token: ${r.pick([token, token, 'f'.repeat(64), r.text(64), ''])}`);
  if (r.next() < 0.3) headers.push(`Cookie: ${r.pick([`${cookieName}=${token}`, `${cookieName}=${r.text(64)}`, r.text(100), `;;=;${cookieName}`])}`);
  if (r.next() < 0.1) headers.push(`Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Key: ${r.pick(['dGhlIHNhbXBsZSBub25jZQ==', r.text(10)])}`, `Sec-WebSocket-Version: ${r.pick(['13', '8', 'x'])}`, `Sec-WebSocket-Protocol: ${r.pick(['qabyldau', `qabyldau, token.${token}`, r.text(30)])}`);
  if (r.next() < 0.1) headers.push(`${r.text(8, 'abc()<>@,;:\\"/[]?={} \t\u0001')}: ${r.text(10)}`); // an invalid header name
  if (r.next() < 0.05) headers.push(`X-Big: ${'x'.repeat(20_000 + r.int(60_000))}`);
  if (r.next() < 0.05) headers.push(`X-Ctl: a\u0000b\u0007c`);
  if (r.next() < 0.05) headers.push('Transfer-Encoding: chunked', 'Content-Length: 5'); // request smuggling shape
  let body: Buffer;
  switch (r.int(7)) {
    case 0: body = Buffer.alloc(0); break;
    case 1: body = r.bytes(r.int(2000)); break;
    case 2: body = Buffer.from(JSON.stringify({ login: r.text(10), password: r.text(10), [r.pick(['__proto__', 'constructor', 'x'])]: { polluted: true } })); break;
    case 3: body = Buffer.from('['.repeat(r.int(5000))); break;
    case 4: body = Buffer.from('{"login":'); break;
    case 5: body = Buffer.from(JSON.stringify(r.pick([null, 1, 'x', [], { id: r.text(300) }, { requestId: '%', limit: -1 }]))); break;
    default: body = Buffer.from(r.text(r.int(500)));
  }
  const framing = r.int(10);
  let head: string;
  if (framing === 0) {
    // chunked, sometimes with a malformed chunk size
    headers.push('Transfer-Encoding: chunked');
    const size = r.next() < 0.7 ? body.length.toString(16) : r.pick(['zz', '-1', 'ffffffffffffffffff', '']);
    head = `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(`${size}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  }
  // Content-Length: right, or a lie that says less than was sent (the rest is a garbage request).
  const length = framing === 1 ? Math.max(0, body.length - r.int(10) - 1) : framing === 2 ? r.pick(['-1', 'abc', '1e3', '99999999999999999999']) : body.length;
  headers.push(`Content-Length: ${length}`);
  if (r.next() < 0.02) headers.push(`Content-Length: ${body.length + 1}`); // duplicated, conflicting
  head = `${method} ${path} ${r.next() < 0.97 ? 'HTTP/1.1' : r.pick(['HTTP/9.9', 'HTTP/1', 'FOO'])}\r\n${headers.join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Sends one raw request; resolves with the status code of the first response line, or a failure. */
function send(port: number, raw: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    const done = (v: number | string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done('timeout'), 15_000);
    // Written, not half-closed: a browser keeps its side open while it waits for the answer.
    socket.on('connect', () => socket.write(raw));
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(got);
      if (m) done(Number(m[1]));
      else if (got.length > 12) done(`not HTTP: ${JSON.stringify(got.slice(0, 40))}`);
    });
    socket.on('error', (e) => done(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    socket.on('close', () => done(got ? `cut: ${JSON.stringify(got.slice(0, 40))}` : 'closed without an answer'));
  });
}

describe('browser host under hostile input', () => {
  it(`answers ${REQUESTS.toLocaleString('en')} hostile requests, none with a 5xx, and keeps serving`, async () => {
    const seed = Number(process.env.QABYLDAU_FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const { port, token, cookieName } = stack.web;
    const statuses = new Map<number | string, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const raw = hostileRequest(r, port, token, cookieName);
        const status = await send(port, raw);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (typeof status !== 'number' || status >= 500) {
          failures.push(`#${i} → ${status}: ${JSON.stringify(raw.subarray(0, 160).toString('latin1'))}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    console.log(`[fuzz] seed ${seed}: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}`);
    expect(failures.slice(0, 10), `seed ${seed}`).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    // Still serving: the page, and the contract.
    expect(await send(port, Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`))).toBe(200);
    const info = await stack.api('app.info');
    expect(info.ok).toBe(true);
  }, 600_000);
});
