/**
 * The eSCL driver: driverless network scanners (AirScan / Mopria) over HTTP(S), in TypeScript,
 * inside the scanner worker like every driver. Device ids are "escl:<root URL>".
 *
 * A scan run is one eSCL job: ScannerStatus (feeder state) → POST ScanJobs (ScanSettings) →
 * Location → GET <job>/NextDocument, once per sheet (200: a page, streamed to the spool
 * directory; 503: busy, poll again; 404: the job has no more pages) → DELETE <job> when the run
 * stops before the scanner ended the job (cancel, page limit, fault). After a 404 the scanner's
 * status says why: the feeder jammed, its cover opened, it ran empty (the normal end of a batch),
 * or the job vanished while paper is still loaded. Pages arrive as JPEG (or PNG for 1-bit, or one
 * PDF whose JPEG pages are taken out); each is decoded by libvips into raw lines that the shared
 * runner spools, meters for ink, encodes and thumbnails exactly as it does SANE's frames.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError, isAppError } from '../../../contract/errors.js';
import type { ScanCapabilities, ScanDevice, ScanSettings } from '../../types.js';
import { DeviceStatusError, type DriverConfig, type DriverSession, type EsclConfig, type FrameParams, type OpenOptions, type ReadResult, type ScanDriver } from '../driver.js';
import { EsclDiscovery } from './discovery.js';
import { bodyToFile, readBody, send, type HttpOptions } from './http.js';
import { adfFault, parseCapabilities, parseStatus, planJob, scanSettingsXml, toScanCapabilities, type EsclCaps, type EsclStatus, type JobPlan } from './model.js';
import { jpegPagesOfPdf } from './pdf-pages.js';
import { MAX_XML_BYTES } from './xml.js';

export const ESCL_PREFIX = 'escl:';

/** The eSCL root of a device id, as a URL without a trailing slash. */
export function esclRoot(deviceId: string): URL {
  const raw = deviceId.slice(ESCL_PREFIX.length);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new AppError('SCAN_NO_DEVICE');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('SCAN_NO_DEVICE');
  u.pathname = u.pathname.replace(/\/+$/, '');
  return u;
}

export function esclDeviceId(url: string): string {
  return `${ESCL_PREFIX}${url.replace(/\/+$/, '')}`;
}

const under = (root: URL, path: string) => new URL(`${root.pathname}/${path}`, root);

function httpOptions(cfg: EsclConfig, signal?: AbortSignal, timeoutMs = cfg.timeoutMs): HttpOptions {
  return { timeoutMs, pinned: cfg.pinned, ...(signal ? { signal } : {}) };
}

async function getXml(url: URL, o: HttpOptions): Promise<Buffer> {
  const { res } = await send(url, 'GET', o);
  if (res.statusCode !== 200) {
    res.resume();
    if (res.statusCode === 503) throw new DeviceStatusError('DEVICE_BUSY', `${url.pathname}: 503`);
    throw new AppError('SCAN_DEVICE_ERROR', { status: `HTTP ${res.statusCode}` });
  }
  return readBody(res, MAX_XML_BYTES, o);
}

export async function fetchCapabilities(root: URL, o: HttpOptions): Promise<EsclCaps> {
  return parseCapabilities(await getXml(under(root, 'ScannerCapabilities'), o));
}

export async function fetchStatus(root: URL, o: HttpOptions): Promise<EsclStatus> {
  return parseStatus(await getXml(under(root, 'ScannerStatus'), o));
}

export class EsclDriver implements ScanDriver {
  readonly name = 'escl' as const;
  private discovery: EsclDiscovery | null = null;

  owns(deviceId: string): boolean {
    return deviceId.startsWith(ESCL_PREFIX);
  }

  /** Configured scanners and those DNS-SD found, each asked for its capabilities (briefly). */
  async devices(cfg: DriverConfig, o: { refresh?: boolean } = {}): Promise<ScanDevice[]> {
    const c = cfg.escl;
    const entries = new Map<string, { url: string; name?: string; found: 'configured' | 'dns-sd' }>();
    for (const s of c.scanners) entries.set(esclDeviceId(s.url), { url: s.url.replace(/\/+$/, ''), ...(s.name ? { name: s.name } : {}), found: 'configured' });
    if (c.discovery) {
      const first = !this.discovery;
      this.discovery ??= new EsclDiscovery(c.discoveryNet);
      if (first || o.refresh) await this.discovery.refresh(c.discoveryWaitMs);
      for (const d of this.discovery.list()) {
        const id = esclDeviceId(d.url);
        if (!entries.has(id)) entries.set(id, { url: d.url, name: d.name, found: 'dns-sd' });
      }
    }
    return Promise.all(
      [...entries].map(async ([id, e]): Promise<ScanDevice> => {
        const base: ScanDevice = { id, vendor: '', model: e.name ?? new URL(e.url).host, type: 'eSCL network scanner', virtual: false, driver: 'escl', url: e.url, found: e.found };
        try {
          const caps = await fetchCapabilities(esclRoot(id), httpOptions(c, undefined, Math.min(c.timeoutMs, 5000)));
          const [vendor, ...model] = caps.makeAndModel.split(' ');
          const pin = c.pinned.find((p) => p.origin === new URL(e.url).origin);
          return { ...base, vendor: vendor ?? '', model: e.name ?? model.join(' '), ...(pin ? { certificate: { sha256: pin.sha256, trusted: true } } : {}) };
        } catch (err) {
          if (isAppError(err) && err.code === 'SCAN_ESCL_CERT_UNTRUSTED') return { ...base, certificate: { sha256: String(err.params.sha256), trusted: false } };
          return { ...base, type: 'eSCL network scanner (not answering)' };
        }
      }),
    );
  }

  async capabilities(deviceId: string, cfg: DriverConfig): Promise<ScanCapabilities> {
    return toScanCapabilities(deviceId, await fetchCapabilities(esclRoot(deviceId), httpOptions(cfg.escl)));
  }

  async open(
    deviceId: string,
    settings: ScanSettings,
    o: OpenOptions,
  ): Promise<DriverSession> {
    const root = esclRoot(deviceId);
    let caps: EsclCaps;
    try {
      caps = await fetchCapabilities(root, httpOptions(o.cfg.escl));
    } catch (e) {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { stage: 'open' });
    }
    const plan = planJob(caps, settings, o.cfg.escl.format);
    // A whole feeder batch: ask for page N+1 while page N is decoded (the scanner keeps moving).
    const readAhead = plan.inputSource === 'Feeder' && (o.maxPages ?? null) === null;
    return new EsclSession(root, caps, plan, o.cfg.escl, o.spoolDir, o.onProgress ?? (() => {}), readAhead);
  }

  close(): Promise<void> {
    this.discovery?.stop();
    this.discovery = null;
    return Promise.resolve();
  }
}

interface Frame {
  params: FrameParams;
  it: AsyncIterator<Buffer>;
  file: string;
  /** Line art from grey: one line of grey samples being assembled. */
  line?: { buf: Buffer; fill: number; width: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class EsclSession implements DriverSession {
  private job: URL | null = null;
  /** The scanner ended the job (NextDocument 404): nothing to delete. */
  private ended = false;
  private readonly abort = new AbortController();
  private cancelled = false;
  private frame: Frame | null = null;
  private pending: Buffer | null = null;
  /** Pages already taken out of a PDF document, waiting to be fed. */
  private readonly queued: string[] = [];
  private docs = 0;
  /** The next page, already being fetched (read-ahead); its failure surfaces at the next start(). */
  private ahead: Promise<string> | null = null;

  constructor(
    private readonly root: URL,
    private readonly caps: EsclCaps,
    private readonly plan: JobPlan,
    private readonly cfg: EsclConfig,
    private readonly spoolDir: string,
    private readonly onProgress: (bytes: number, expected: number | null) => void,
    private readonly readAhead: boolean,
  ) {}

  private http(timeoutMs?: number): HttpOptions {
    return httpOptions(this.cfg, this.abort.signal, timeoutMs);
  }

  async start(): Promise<FrameParams> {
    await this.endFrame();
    if (this.cancelled) throw new DeviceStatusError('CANCELLED');
    const next = this.queued.shift();
    if (next) return this.openFrame(next);
    if (!this.job) await this.createJob();
    const pending = this.ahead;
    this.ahead = null;
    const file = await (pending ?? this.nextDocument());
    if (this.readAhead && !this.ended) {
      this.ahead = this.nextDocument();
      this.ahead.catch(() => {}); // seen by the next start()
    }
    return this.openFrame(file);
  }

  private async createJob(): Promise<void> {
    if (this.plan.inputSource === 'Feeder') {
      const s = await fetchStatus(this.root, this.http());
      const f = adfFault(s);
      if (f) throw new DeviceStatusError(f, `feeder: ${s.adfState}`);
    }
    const { res, url } = await send(under(this.root, 'ScanJobs'), 'POST', this.http(), scanSettingsXml(this.plan, this.caps.version));
    res.resume();
    if (res.statusCode === 201 || res.statusCode === 200) {
      const loc = res.headers.location;
      if (!loc) throw new AppError('SCAN_ESCL_MALFORMED', { what: 'Location' });
      const job = new URL(loc, url);
      if (job.hostname !== this.root.hostname) throw new AppError('SCAN_ESCL_REDIRECT_REFUSED', { host: job.host });
      if (job.protocol !== this.root.protocol) throw new AppError('SCAN_ESCL_REDIRECT_REFUSED', { host: job.host });
      job.pathname = job.pathname.replace(/\/+$/, '');
      this.job = job;
      return;
    }
    if (res.statusCode === 503) throw new DeviceStatusError('DEVICE_BUSY', 'ScanJobs: 503');
    // 409 and the like: the scanner's status says why (an empty feeder, mostly).
    throw await this.why(`ScanJobs: ${res.statusCode}`, null);
  }

  /** Explains a refusal from the scanner's status: a feeder problem, a busy scanner, or an error. */
  private async why(what: string, emptyMeans: 'NO_DOCS' | null): Promise<Error> {
    let s: EsclStatus;
    try {
      s = await fetchStatus(this.root, this.http());
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
    const f = adfFault(s);
    if (f === 'JAMMED' || f === 'COVER_OPEN') return new DeviceStatusError(f, `${what}; feeder: ${s.adfState}`);
    if (f === 'NO_DOCS') return new DeviceStatusError(emptyMeans ?? 'NO_DOCS', `${what}; feeder empty`);
    if (s.state === 'Processing') return new DeviceStatusError('DEVICE_BUSY', `${what}; scanner busy`);
    return new DeviceStatusError('IO_ERROR', `${what}; scanner ${s.state}`);
  }

  /** GET NextDocument until a page comes (polling while busy); the page's file. */
  private async nextDocument(): Promise<string> {
    const job = this.job!;
    const deadline = Date.now() + this.cfg.timeoutMs;
    for (;;) {
      if (this.cancelled) throw new DeviceStatusError('CANCELLED');
      const { res } = await send(under(job, 'NextDocument'), 'GET', this.http());
      if (res.statusCode === 200) {
        const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const isPdf = type === 'application/pdf' || (type === '' && this.plan.format === 'application/pdf');
        const file = join(this.spoolDir, `escl-doc-${++this.docs}.${isPdf ? 'pdf' : 'img'}`);
        await bodyToFile(res, file, this.cfg.maxPageMb * 2 ** 20, this.http(), (n, d) => this.onProgress(n, d));
        if (!isPdf) return file;
        return this.splitPdf(file);
      }
      res.resume();
      if (res.statusCode === 503) {
        if (Date.now() > deadline) throw new DeviceStatusError('DEVICE_BUSY', 'NextDocument: busy for too long');
        await sleep(this.cfg.pollMs);
        continue;
      }
      if (res.statusCode === 404) {
        this.ended = true;
        throw await this.endOfJob();
      }
      this.ended = true;
      throw await this.why(`NextDocument: ${res.statusCode}`, 'NO_DOCS');
    }
  }

  /** NextDocument said 404: the end of the batch, a feeder fault, or a job the scanner dropped. */
  private async endOfJob(): Promise<Error> {
    if (this.plan.inputSource === 'Platen') return new DeviceStatusError('NO_DOCS', 'platen: no more pages');
    const s = await fetchStatus(this.root, this.http());
    const f = adfFault(s);
    if (f) return new DeviceStatusError(f, `NextDocument: 404; feeder: ${s.adfState}`);
    const mine = s.jobs.find((j) => j.uri && this.job!.pathname.endsWith(j.uri.replace(/\/+$/, '')));
    const completed = mine && /Completed/i.test(mine.state) && !mine.reasons.some((r) => /Abort|Cancel|Error/i.test(r));
    // Paper still in the feeder, and the job gone or aborted: the scanner dropped it.
    if (!completed && /Loaded/i.test(s.adfState ?? '')) return new AppError('SCAN_ESCL_JOB_LOST');
    return new DeviceStatusError('NO_DOCS', 'NextDocument: 404, batch done');
  }

  private async splitPdf(file: string): Promise<string> {
    const jpegs = await jpegPagesOfPdf(await readFile(file));
    await rm(file, { force: true });
    const files: string[] = [];
    for (const [i, j] of jpegs.entries()) {
      const f = join(this.spoolDir, `escl-doc-${this.docs}-p${i + 1}.img`);
      await writeFile(f, j, { mode: 0o600 });
      files.push(f);
    }
    this.queued.push(...files.slice(1));
    return files[0]!;
  }

  /** Checks the page's header, then starts libvips decoding it into raw lines. */
  private async openFrame(file: string): Promise<FrameParams> {
    const p = this.plan;
    // The most pixels the asked area can have at the asked resolution, with room for scanners
    // that round up: a header claiming more is a decompression bomb or a broken scanner.
    const maxPixels = Math.ceil(((p.width * p.dpi) / 300 + 64) * ((p.height * p.dpi) / 300 + 64) * 1.25);
    let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
    try {
      // Header only: the pixel limit is checked below, with the area asked for.
      meta = await sharp(file, { limitInputPixels: false }).metadata();
    } catch (e) {
      await rm(file, { force: true });
      throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'not-an-image' }, { detail: e instanceof Error ? e.message : String(e) });
    }
    const { width = 0, height = 0, format } = meta;
    if (format !== 'jpeg' && format !== 'png') {
      await rm(file, { force: true });
      throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'format' }, { detail: String(format) });
    }
    if (width <= 0 || height <= 0 || width * height > maxPixels) {
      await rm(file, { force: true });
      throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'pixels', width, height });
    }
    const lineart = p.colorMode === 'BlackAndWhite1' || p.thresholdLocally;
    const color = p.colorMode === 'RGB24';
    let img = sharp(file, { failOn: 'truncated', sequentialRead: true, limitInputPixels: maxPixels });
    img = color ? img.toColourspace('srgb').removeAlpha() : img.toColourspace('b-w').removeAlpha();
    const it = img.raw()[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const params: FrameParams = lineart
      ? { format: 'GRAY', depth: 1, pixelsPerLine: width, lines: height, bytesPerLine: Math.ceil(width / 8), dpi: p.dpi }
      : { format: color ? 'RGB' : 'GRAY', depth: 8, pixelsPerLine: width, lines: height, bytesPerLine: width * (color ? 3 : 1), dpi: p.dpi };
    this.frame = { params, it, file, ...(lineart ? { line: { buf: Buffer.alloc(width), fill: 0, width } } : {}) };
    this.pending = null;
    return params;
  }

  async read(buf: Uint8Array): Promise<ReadResult> {
    const f = this.frame;
    if (this.cancelled) return { bytes: 0, status: 'CANCELLED' };
    if (!f) return { bytes: 0, status: 'EOF' };
    while (!this.pending || this.pending.length === 0) {
      let r: IteratorResult<Buffer>;
      try {
        r = await f.it.next();
      } catch (e) {
        throw new AppError('SCAN_ESCL_BAD_PAGE', { reason: 'decode' }, { detail: e instanceof Error ? e.message : String(e) });
      }
      if (r.done) {
        await this.endFrame();
        return { bytes: 0, status: 'EOF' };
      }
      this.pending = f.line ? packLines(f.line, r.value) : r.value;
    }
    const n = Math.min(buf.length, this.pending.length);
    buf.set(this.pending.subarray(0, n));
    this.pending = this.pending.subarray(n);
    return { bytes: n, status: 'GOOD' };
  }

  private async endFrame(): Promise<void> {
    const f = this.frame;
    if (!f) return;
    this.frame = null;
    this.pending = null;
    await f.it.return?.().catch(() => {});
    await rm(f.file, { force: true });
  }

  cancel(): Promise<void> {
    this.cancelled = true;
    this.abort.abort();
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.ahead) {
      // A page fetched ahead that no one will take (cancel, a fault): drop it.
      this.abort.abort();
      const f = await this.ahead.catch(() => null);
      if (f) await rm(f, { force: true });
      this.ahead = null;
    }
    await this.endFrame();
    for (const f of this.queued.splice(0)) await rm(f, { force: true });
    if (this.job && !this.ended) {
      // Best effort, briefly: a scanner that went away must not hold the run open.
      try {
        const { res } = await send(this.job, 'DELETE', httpOptions(this.cfg, undefined, Math.min(this.cfg.timeoutMs, 3000)));
        res.resume();
      } catch {
        // gone already
      }
      this.ended = true;
    }
  }
}

/** Grey samples → packed 1-bit lines (1 = black, SANE's convention), threshold at half. */
function packLines(line: { buf: Buffer; fill: number; width: number }, gray: Buffer): Buffer {
  const rowBytes = Math.ceil(line.width / 8);
  const out = Buffer.alloc(Math.floor((line.fill + gray.length) / line.width) * rowBytes);
  let o = 0;
  let i = 0;
  while (i < gray.length) {
    const n = Math.min(line.width - line.fill, gray.length - i);
    gray.copy(line.buf, line.fill, i, i + n);
    line.fill += n;
    i += n;
    if (line.fill === line.width) {
      for (let x = 0; x < line.width; x++) if (line.buf[x]! < 128) out[o + (x >> 3)]! |= 0x80 >> (x & 7);
      o += rowBytes;
      line.fill = 0;
    }
  }
  return out;
}
