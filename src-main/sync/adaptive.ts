/**
 * Uploads that keep the line full, whatever the line is (issue 18): how many documents go at once
 * and how big a chunk is are measured, not configured.
 *
 *  - Goodput: the bytes of chunks the server confirmed over the last few seconds.
 *  - Concurrency (`limit`, documents uploading at once across every request): a hill climb once a
 *    second. While the gate was full and goodput grew by more than 5 %, one more; when goodput fell
 *    clearly with the gate full, one fewer (never below 2, never above `maxLimit`). On a fast
 *    loopback this settles at a few; on a long thin line it grows until the line is full.
 *  - Chunk size for NEW uploads (the server keeps an upload's chunk size): about a quarter second
 *    of the line (between 16 KiB and the configured `backend.uploadChunkKiB`), cut so the document
 *    splits into equal chunks. On a line that drops, a drop loses the chunks in flight, so they
 *    are kept to a twentieth of what the line carried between the last drops (measured: bytes
 *    confirmed from one drop to the next), and the uploads at once to what that window keeps
 *    busy. A quiet minute lifts it. Before the line is measured, one upload measures it with
 *    64 KiB chunks while the others wait for its first confirmed chunk.
 *
 * Pure bookkeeping on an injected clock; the upload stage feeds it and asks it.
 */

export interface AdaptiveOptions {
  now: () => number;
  /** The largest chunk (backend.uploadChunkKiB); new uploads never use more. */
  maxChunkBytes: number;
  /** The starting number of documents at once (sync.concurrency). */
  initialLimit: number;
  maxLimit?: number;
}

const MIN_CHUNK = 16 * 1024;
const WINDOW_MS = 3000;
const STEP_MS = 1000;
const CHUNK_SECONDS = 0.25;
const QUIET_MS = 60_000;
const FIRST_CHUNK = 64 * 1024;
const DROPPING_MIN_CHUNK = 32 * 1024;

export class AdaptiveUploads {
  limit: number;
  private readonly maxLimit: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly samples: { at: number; bytes: number }[] = [];
  private lastStep = 0;
  private lastGoodput = 0;
  private saturated = false;
  /** Bytes confirmed between two drops (a moving average), 0 before the second one. */
  private carriedBetweenLosses = 0;
  /** Bytes confirmed since the last drop. */
  private sinceLoss = 0;
  private lastLoss = 0;
  private chunkBytesInFlight = 0;
  private readonly chunkWaiting: (() => void)[] = [];
  private readonly rtts: number[] = [];
  /** Bytes per second of single chunk PUTs (a moving average). */
  private chunkRate = 0;
  /** An upload is measuring the line (see `measured`). */
  private measuring = false;
  private readonly measureWaiting: (() => void)[] = [];

  constructor(private readonly o: AdaptiveOptions) {
    this.limit = Math.max(2, o.initialLimit);
    this.maxLimit = Math.max(this.limit, o.maxLimit ?? 16);
  }

  /**
   * Runs a new upload once the line is measured: before the first chunk of the engine's life is
   * confirmed, ONE upload measures the line (with the first, small chunks) and the others wait for
   * its first confirmed chunk (or its end), so that they start with chunks fitted to the line, not
   * at 64 KiB on a line that takes a megabyte in a few milliseconds (an upload keeps its chunk size).
   */
  async measured<T>(fn: () => Promise<T>): Promise<T> {
    while (!this.lineKnown() && this.measuring) await new Promise<void>((resolve) => this.measureWaiting.push(resolve));
    if (this.lineKnown()) return fn();
    this.measuring = true;
    try {
      return await fn();
    } finally {
      this.measuring = false;
      for (const w of this.measureWaiting.splice(0)) w();
    }
  }

  private lineKnown(): boolean {
    return this.chunkRate > 0;
  }

  /** Runs `fn` when fewer than `limit` uploads are under way. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.effectiveLimit()) {
      this.saturated = true;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
    if (this.inFlight >= this.effectiveLimit()) this.saturated = true;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  /** A chunk the server confirmed, `ms` after it was sent. */
  confirmed(bytes: number, ms = 0): void {
    const now = this.o.now();
    this.samples.push({ at: now, bytes });
    this.sinceLoss += bytes;
    // One chunk's own rate: known after the first chunk, before a window of goodput is.
    if (ms > 0) {
      const rate = (bytes * 1000) / ms;
      this.chunkRate = this.chunkRate ? this.chunkRate * 0.7 + rate * 0.3 : rate;
      for (const w of this.measureWaiting.splice(0)) w();
    }
    this.step(now);
  }

  /** The connection was lost while a chunk was on the way (the chunks of one drop count once). */
  lost(): void {
    const now = this.o.now();
    if (this.lastLoss && now - this.lastLoss < 250) return;
    if (this.lastLoss && now - this.lastLoss < QUIET_MS) {
      // What the line really carried between the two drops: the time it was down, reconnecting
      // and probing included (the goodput of the last seconds times the interval is more).
      const carried = this.sinceLoss;
      this.carriedBetweenLosses = this.carriedBetweenLosses ? this.carriedBetweenLosses * 0.7 + carried * 0.3 : carried;
    }
    this.lastLoss = now;
    this.sinceLoss = 0;
  }

  /**
   * The uploads allowed at once: `limit`, and on a line that drops no more than keeps the bytes in
   * flight (two chunks per upload) within a twentieth of what the line carries between drops: what
   * is in flight, in the line's queue included, is what a drop loses.
   */
  effectiveLimit(): number {
    if (!this.dropping(this.o.now())) return this.limit;
    // Each upload at once is a connection to open again after a drop (a TLS handshake, ~1.3 KB):
    // no more than the window keeps busy, and one more preparing (start, complete).
    return Math.min(this.limit, Math.max(2, Math.ceil(this.windowBytes() / this.chunkBytes()) + 1));
  }

  /**
   * Runs one chunk's PUT inside the byte window: chunks in flight never exceed about twice what
   * the line holds (goodput × round trip), and on a line that drops a twentieth of what it carries
   * between drops; one chunk always may go. Beyond that a sender only fills the line's queue,
   * which a drop loses.
   */
  async chunk<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
    while (this.chunkBytesInFlight > 0 && this.chunkBytesInFlight + bytes > this.windowBytes()) {
      await new Promise<void>((resolve) => this.chunkWaiting.push(resolve));
    }
    this.chunkBytesInFlight += bytes;
    try {
      return await fn();
    } finally {
      this.chunkBytesInFlight -= bytes;
      for (const w of this.chunkWaiting.splice(0)) w();
    }
  }

  /** A small exchange's round trip (start or complete of an upload), in milliseconds. */
  roundTrip(ms: number): void {
    this.rtts.push(ms);
    if (this.rtts.length > 20) this.rtts.shift();
  }

  /** The byte window for chunks in flight. */
  windowBytes(): number {
    const now = this.o.now();
    const g = this.goodput(now);
    const chunk = this.chunkBytes();
    if (g <= 0 || !this.rtts.length) return Math.max(2 * chunk, 4 * FIRST_CHUNK);
    const rtt = Math.max(1, Math.min(...this.rtts)) / 1000;
    let cap = Math.max(2 * chunk, 2 * g * rtt);
    if (this.dropping(now)) cap = Math.min(cap, Math.max(chunk, 0.05 * this.between(now)));
    return cap;
  }

  /** Bytes the line carries between two drops: measured from the second drop on; after the first, two seconds of goodput. */
  private between(now: number): number {
    if (this.carriedBetweenLosses > 0) return this.carriedBetweenLosses;
    const g = this.goodput(now);
    return (g > 0 ? g : FIRST_CHUNK / CHUNK_SECONDS) * 2;
  }

  private dropping(now: number): boolean {
    return this.lastLoss > 0 && now - this.lastLoss < QUIET_MS;
  }

  /** Bytes per second confirmed over the last few seconds (0 before any). */
  goodput(now = this.o.now()): number {
    while (this.samples.length && this.samples[0]!.at < now - WINDOW_MS) this.samples.shift();
    if (!this.samples.length) return 0;
    const bytes = this.samples.reduce((s, x) => s + x.bytes, 0);
    return (bytes * 1000) / Math.max(100, now - this.samples[0]!.at);
  }

  /**
   * The chunk size for a new upload of `size` bytes: about the size `chunkBytes()` says, cut so the
   * document splits into equal chunks (a 193 KiB page in 32 KiB chunks would be 6 and a 1 KiB one,
   * whose headers cost half of it).
   */
  chunkBytesFor(size: number): number {
    const target = this.chunkBytes();
    const n = Math.max(1, Math.ceil(size / this.o.maxChunkBytes), Math.round(size / target));
    const even = Math.ceil(size / n / 1024) * 1024;
    return Math.max(MIN_CHUNK, Math.min(this.o.maxChunkBytes, even));
  }

  /** The chunk size for new uploads (a power of two). */
  chunkBytes(): number {
    const now = this.o.now();
    // The line's rate: the goodput over the window, or one chunk's own rate when that is higher
    // (the first moments, before the window fills). Before any chunk: a modest first chunk (a thin
    // line is not flooded, and an upload keeps its chunk size for good).
    const g = Math.max(this.goodput(now), this.chunkRate);
    let size = g > 0 ? g * CHUNK_SECONDS : FIRST_CHUNK;
    if (this.dropping(now)) {
      // A twentieth of what the line carries between two drops in flight, shared by the uploads
      // at once; not below 32 KiB: a chunk's headers cost about 500 bytes (3 % of 16 KiB).
      size = Math.max(DROPPING_MIN_CHUNK, Math.min(size, 0.05 * this.between(now)));
    }
    size = Math.min(this.o.maxChunkBytes, Math.max(MIN_CHUNK, size));
    // A power of two, within the protocol's bounds.
    return Math.max(MIN_CHUNK, Math.min(this.o.maxChunkBytes, 2 ** Math.floor(Math.log2(size))));
  }

  private step(now: number): void {
    if (now - this.lastStep < STEP_MS) return;
    this.lastStep = now;
    const g = this.goodput(now);
    if (this.saturated && g > this.lastGoodput * 1.05 && this.limit < this.maxLimit) {
      this.limit++;
      this.waiting.shift()?.();
    } else if (this.saturated && g < this.lastGoodput * 0.7 && this.limit > 2) this.limit--;
    this.lastGoodput = g;
    this.saturated = this.inFlight >= this.limit;
  }
}
