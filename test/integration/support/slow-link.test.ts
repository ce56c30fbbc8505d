/**
 * The slow-link harness behaves like a line: a transfer takes its bytes over the rate plus the
 * round trips, connections share the rate (not one rate each), and a drop cuts every connection.
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startSlowLink, type SlowLink } from '../../support/slow-link.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A server that answers "done" once it has read `expect` bytes on a connection. */
async function sink(expectBytes: number): Promise<number> {
  const srv = net.createServer((s) => {
    let got = 0;
    s.on('data', (d: Buffer) => {
      got += d.byteLength;
      if (got >= expectBytes) s.end('done');
    });
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => srv.close(() => r())));
  return (srv.address() as net.AddressInfo).port;
}

function send(link: SlowLink, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = net.connect(link.port, '127.0.0.1', () => c.end(Buffer.alloc(bytes, 7)));
    c.on('data', () => resolve(performance.now() - t0));
    c.on('error', reject);
    c.on('close', () => reject(new Error('closed before the answer')));
  });
}

it('takes bytes over the rate plus the round trips, shared by every connection', { timeout: 30_000 }, async () => {
  const bytes = 250_000;
  const port = await sink(bytes);
  const link = await startSlowLink({ target: { host: '127.0.0.1', port }, rateBitsPerSecond: 4e6, rttMs: 100 });
  closers.push(() => link.close());
  // One connection: 0.5 s on the line + the handshake's and the answer's round trips.
  const alone = await send(link, bytes);
  const expected = (bytes * 8000) / 4e6 + 2 * 100;
  expect(alone / expected).toBeGreaterThan(0.9);
  expect(alone / expected).toBeLessThan(1.4);
  // Two at once share the line: each takes about twice as long.
  const both = await Promise.all([send(link, bytes), send(link, bytes)]);
  const expectedBoth = (2 * bytes * 8000) / 4e6 + 2 * 100;
  expect(Math.max(...both) / expectedBoth).toBeGreaterThan(0.9);
  expect(link.bytesUp).toBe(3 * bytes);
  expect(link.bytesDelivered).toBe(3 * bytes);
});

it('a drop cuts every connection mid-transfer', { timeout: 30_000 }, async () => {
  const port = await sink(10_000_000);
  const link = await startSlowLink({ target: { host: '127.0.0.1', port }, rateBitsPerSecond: 1e6, rttMs: 20 });
  closers.push(() => link.close());
  const transfer = send(link, 10_000_000).then(
    () => 'answered',
    () => 'cut',
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(link.drop()).toBe(1);
  expect(await transfer).toBe('cut');
  expect(link.bytesDelivered).toBeLessThan(10_000_000);
});
