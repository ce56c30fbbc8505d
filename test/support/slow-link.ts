/**
 * A slow link on loopback: a small TCP proxy of ours between the workstation and the sandbox that
 * behaves like a Centre's line, for tests and benchmarks. TLS passes through it untouched (the
 * workstation still talks mutual TLS to the sandbox).
 *
 *  - Bandwidth: each direction is ONE serialising queue shared by every connection (a line, not a
 *    per-connection limit): a piece of n bytes leaves `n·8 / rate` after the one before it.
 *  - Latency: every piece arrives half the round-trip time after it left; a new connection waits
 *    one round trip before its first byte goes (the TCP handshake).
 *  - A bottleneck buffer: when more than `bufferBytes` wait to leave, the sender's socket is
 *    paused, so TCP's own flow control feels the line (no unbounded buffering in the proxy).
 *  - Drops: `drop()` cuts every connection at once (both sides, whatever is in flight is lost),
 *    `dropEvery(ms)` keeps doing it: the line going down mid-chunk.
 *  - Counters: bytes the workstation put on the line (`bytesUp`, counted as they enter, even if a
 *    drop loses them) and bytes that reached the server (`bytesDelivered`), bytes back (`bytesDown`).
 *
 * `latency` is a round-trip time (what `ping` shows): a 2 Mbit/s line with 200 ms is
 * `{ rateBitsPerSecond: 2e6, rttMs: 200 }`.
 */
import net from 'node:net';

export interface SlowLinkOptions {
  /** Where the sandbox listens. */
  target: { host: string; port: number };
  /** The line's rate in bits per second, each direction. */
  rateBitsPerSecond: number;
  /** Round-trip time added by the line, in milliseconds. */
  rttMs: number;
  /** Bytes that may wait at the bottleneck before the sender is held back (default: 64 KiB or one round trip's worth, the larger). */
  bufferBytes?: number;
}

export interface SlowLink {
  readonly port: number;
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** Bytes the workstation sent into the line (including what a drop lost). */
  readonly bytesUp: number;
  /** Bytes that reached the server. */
  readonly bytesDelivered: number;
  /** Bytes the server sent back that reached the workstation. */
  readonly bytesDown: number;
  /** Connections cut by drops. */
  readonly drops: number;
  /** Connections the workstation opened through the line. */
  readonly connections: number;
  /** Cuts every connection now (mid-chunk, mid-answer). */
  drop(): number;
  /** Cuts every connection every `ms`; returns the function that stops it. */
  dropEvery(ms: number): () => void;
  close(): Promise<void>;
}

interface Piece {
  at: number;
  to: net.Socket;
  /** null: the sender finished (FIN), passed on after what it sent before. */
  bytes: Buffer | null;
}

/** One direction of the line: a FIFO of pieces with their arrival times (monotone). */
class Direction {
  private nextFree = 0;
  private readonly queue: Piece[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly held = new Set<net.Socket>();
  private resumeTimer: NodeJS.Timeout | null = null;
  delivered = 0;

  constructor(
    private readonly rate: number,
    private readonly oneWayMs: number,
    private readonly bufferBytes: number,
  ) {}

  /** Bytes waiting to leave now. */
  private backlog(now: number): number {
    return (Math.max(0, this.nextFree - now) * this.rate) / 8000;
  }

  send(from: net.Socket, to: net.Socket, data: Buffer): void {
    const PIECE = 16 * 1024;
    for (let off = 0; off < data.byteLength; off += PIECE) {
      const bytes = data.subarray(off, off + PIECE);
      const now = performance.now();
      this.nextFree = Math.max(now, this.nextFree) + (bytes.byteLength * 8000) / this.rate;
      this.queue.push({ at: this.nextFree + this.oneWayMs, to, bytes });
    }
    const now = performance.now();
    if (this.backlog(now) > this.bufferBytes) {
      from.pause();
      this.held.add(from);
      if (!this.resumeTimer) {
        const when = this.nextFree - (this.bufferBytes * 8000) / this.rate;
        this.resumeTimer = setTimeout(() => this.release(), Math.max(1, when - now));
      }
    }
    this.pump();
  }

  /** The sender half-closed: the other side sees the end after every byte sent before it. */
  finish(to: net.Socket): void {
    this.queue.push({ at: Math.max(performance.now(), this.nextFree) + this.oneWayMs, to, bytes: null });
    this.pump();
  }

  private release(): void {
    this.resumeTimer = null;
    const now = performance.now();
    if (this.backlog(now) > this.bufferBytes) {
      const when = this.nextFree - (this.bufferBytes * 8000) / this.rate;
      this.resumeTimer = setTimeout(() => this.release(), Math.max(1, when - now));
      return;
    }
    for (const s of this.held) if (!s.destroyed) s.resume();
    this.held.clear();
  }

  private pump(): void {
    if (this.timer) return;
    const now = performance.now();
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const p = this.queue[this.head++]!;
      if (p.to.destroyed) continue;
      if (p.bytes === null) p.to.end();
      else {
        p.to.write(p.bytes);
        this.delivered += p.bytes.byteLength;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.head < this.queue.length) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.max(1, this.queue[this.head]!.at - now));
    }
  }

  /** Everything in flight is lost (the line went down). */
  clear(): void {
    this.queue.length = 0;
    this.head = 0;
    this.nextFree = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    this.held.clear();
  }
}

export async function startSlowLink(o: SlowLinkOptions): Promise<SlowLink> {
  const oneWay = o.rttMs / 2;
  const buffer = o.bufferBytes ?? Math.max(64 * 1024, (o.rateBitsPerSecond / 8) * (o.rttMs / 1000));
  const up = new Direction(o.rateBitsPerSecond, oneWay, buffer);
  const down = new Direction(o.rateBitsPerSecond, oneWay, buffer);
  const pairs = new Set<{ client: net.Socket; server: net.Socket }>();
  let bytesUp = 0;
  let bytesDown = 0;
  let drops = 0;
  let connections = 0;

  const proxy = net.createServer({ allowHalfOpen: true }, (client) => {
    connections++;
    client.setNoDelay(true);
    client.pause();
    const server = new net.Socket({ allowHalfOpen: true });
    const pair = { client, server };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    // A reset cuts both sides at once; a normal close travels as its FIN (finish) behind the data.
    client.on('error', end);
    server.on('error', end);
    client.on('close', (hadError) => (hadError || server.destroyed ? end() : undefined));
    server.on('close', (hadError) => (hadError || client.destroyed ? end() : undefined));
    client.on('end', () => up.finish(server));
    server.on('end', () => down.finish(client));
    client.on('data', (d: Buffer) => {
      bytesUp += d.byteLength;
      up.send(client, server, d);
    });
    server.on('data', (d: Buffer) => {
      down.send(server, client, d);
      bytesDown += d.byteLength;
    });
    // The handshake costs a round trip before the first byte goes.
    setTimeout(() => {
      if (client.destroyed) return;
      server.connect(o.target.port, o.target.host, () => {
        server.setNoDelay(true);
        client.resume();
      });
    }, o.rttMs);
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', resolve);
  });
  const port = (proxy.address() as net.AddressInfo).port;

  const drop = (): number => {
    const n = pairs.size;
    for (const p of [...pairs]) {
      p.client.destroy();
      p.server.destroy();
    }
    pairs.clear();
    up.clear();
    down.clear();
    drops += n;
    return n;
  };

  return {
    port,
    url: `https://127.0.0.1:${port}`,
    get bytesUp() {
      return bytesUp;
    },
    get bytesDelivered() {
      return up.delivered;
    },
    get bytesDown() {
      return bytesDown;
    },
    get drops() {
      return drops;
    },
    get connections() {
      return connections;
    },
    drop,
    dropEvery(ms) {
      const t = setInterval(drop, ms);
      return () => clearInterval(t);
    },
    async close() {
      drop();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
