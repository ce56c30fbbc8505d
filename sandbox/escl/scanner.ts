/**
 * The sandbox eSCL scanner: an HTTP(S) server on loopback that speaks eSCL the way network
 * scanners and multifunction printers do (ScannerCapabilities, ScannerStatus with the feeder's
 * state and the job list, POST ScanJobs → 201 + Location, GET NextDocument per page, DELETE to
 * cancel), serving generated, numbered pages (pages.ts) from a platen, a feeder of N sheets
 * (simplex or duplex), in colour, grey or black and white, as JPEG, PNG or one PDF per job.
 *
 * Faults on demand (`faults`), each at a given sheet where it applies: the feeder jams or runs
 * empty mid-job, the cover opens, the scanner is busy (503), the job vanishes, pages come slowly,
 * a body is cut short, the XML is malformed; and hostile answers: an XML bomb, a 2 GB page
 * declared, a Content-Length that lies, a redirect to another host, a pixel bomb, and a scanner
 * that stops answering mid-page. Development and tests only; never packaged (electron-builder.yml
 * ships dist/main and dist/renderer, and nothing builds this there).
 */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { PDFDocument } from 'pdf-lib';
import { pixelBombJpeg, renderPage, type PageSpec, type SandboxColorMode, type SandboxFormat } from './pages.js';
import type { SandboxFaults, SandboxScannerOptions } from './options.js';
import { capabilitiesXml, MAX_H, MAX_W, NS, spoiledXml, statusXml } from './xml.js';

export type { SandboxFaults, SandboxScannerOptions } from './options.js';

interface Job {
  id: string;
  source: 'Platen' | 'Feeder';
  duplex: boolean;
  mode: SandboxColorMode;
  dpi: number;
  format: SandboxFormat;
  width: number;
  height: number;
  state: 'Processing' | 'Completed' | 'Canceled' | 'Aborted';
  reason: string;
  delivered: number;
  /** Duplex: the back of the last front delivered is due next. */
  backDue: number | null;
  pdfSent: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SandboxEsclScanner {
  readonly faults: SandboxFaults = {};
  /** Sheet numbers in the feeder, top first. */
  feeder: number[];
  private nextSheet: number;
  private platenCount = 0;
  private adfState: 'ScannerAdfLoaded' | 'ScannerAdfEmpty' | 'ScannerAdfJam' | 'ScannerAdfHatchOpen' = 'ScannerAdfLoaded';
  private readonly jobs = new Map<string, Job>();
  private readonly sockets = new Set<Socket>();
  private server: http.Server | https.Server | null = null;
  private readonly cache = new Map<string, Promise<Buffer>>();
  /** Every request, for tests that check what a client asked. */
  readonly requests: { method: string; path: string; body?: string; at: number }[] = [];
  port = 0;

  constructor(private opts: SandboxScannerOptions = {}) {
    const n = opts.feeder ?? 0;
    this.feeder = Array.from({ length: n }, (_, i) => i + 1);
    this.nextSheet = n + 1;
    this.adfState = n > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
  }

  get o(): SandboxScannerOptions {
    return this.opts;
  }

  /**
   * The state a new scanner with these options starts in, at the same address: the feeder, the
   * jobs, the faults and the request log are as `new SandboxEsclScanner(o)` has them, and open
   * connections are closed. Pages already rendered stay cached (the cache's key is the whole page).
   * For tests that run many jobs against one scan stack instead of a new scanner and stack each.
   */
  reset(o: SandboxScannerOptions = {}): void {
    if (o.tls || this.opts.tls) throw new Error('reset: a TLS scanner is made anew (its server holds the certificate)');
    this.opts = o;
    const n = o.feeder ?? 0;
    this.feeder = Array.from({ length: n }, (_, i) => i + 1);
    this.nextSheet = n + 1;
    this.platenCount = 0;
    this.adfState = n > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
    this.jobs.clear();
    for (const k of Object.keys(this.faults)) delete this.faults[k as keyof SandboxFaults];
    this.requests.length = 0;
    for (const s of this.sockets) s.destroy();
  }

  get url(): string {
    return `${this.o.tls ? 'https' : 'http'}://127.0.0.1:${this.port}/eSCL`;
  }

  /** The operator cleared the jam or closed the cover. */
  clearFault(): void {
    if (this.adfState === 'ScannerAdfJam' || this.adfState === 'ScannerAdfHatchOpen') this.adfState = this.feeder.length > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
  }

  /** Puts `n` more sheets in the feeder (numbered on from the last). */
  load(n: number): void {
    for (let i = 0; i < n; i++) this.feeder.push(this.nextSheet++);
    if (this.feeder.length > 0 && this.adfState === 'ScannerAdfEmpty') this.adfState = 'ScannerAdfLoaded';
  }

  async start(port = 0): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500);
          res.end(String(e));
        } else res.destroy();
      });
    };
    this.server = this.o.tls ? https.createServer({ key: this.o.tls.key, cert: this.o.tls.cert }, handler) : http.createServer(handler);
    this.server.on(this.o.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private caps(): string {
    return capabilitiesXml(this.o, this.url.replace(/\/eSCL$/, ''));
  }

  private status(): string {
    return statusXml([...this.jobs.values()], this.o.adf === false ? null : this.adfState);
  }

  private xml(res: ServerResponse, body: string, which: 'capabilities' | 'status'): void {
    body = spoiledXml(body, which, this.faults);
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    let body: string | undefined;
    if (req.method === 'POST') {
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      body = Buffer.concat(parts).toString('utf8');
    }
    this.requests.push({ method: req.method ?? '', path, ...(body !== undefined ? { body } : {}), at: Date.now() });

    if (req.method === 'GET' && path === '/eSCL/ScannerCapabilities') return this.xml(res, this.caps(), 'capabilities');
    if (req.method === 'GET' && path === '/eSCL/ScannerStatus') return this.xml(res, this.status(), 'status');
    if (req.method === 'POST' && path === '/eSCL/ScanJobs') return this.createJob(res, body ?? '');
    const m = /^\/eSCL\/ScanJobs\/([\w-]+)(\/NextDocument|\/ScanImageInfo)?$/.exec(path);
    const job = m ? this.jobs.get(m[1]!) : undefined;
    if (m && req.method === 'DELETE') {
      if (!job) return void res.writeHead(404).end();
      if (job.state === 'Processing') {
        job.state = 'Canceled';
        job.reason = 'JobCanceledByUser';
      }
      return void res.writeHead(200).end();
    }
    if (m && req.method === 'GET' && m[2] === '/NextDocument') {
      if (!job) return void res.writeHead(404).end();
      return this.nextDocument(job, res);
    }
    if (m && req.method === 'GET' && m[2] === '/ScanImageInfo') {
      if (!job) return void res.writeHead(404).end();
      const x = `<?xml version="1.0" encoding="UTF-8"?><scan:ScanImageInfo ${NS}><pwg:JobUri>/eSCL/ScanJobs/${job.id}</pwg:JobUri><pwg:JobUuid>${job.id}</pwg:JobUuid><scan:ActualWidth>${job.width}</scan:ActualWidth><scan:ActualHeight>${job.height}</scan:ActualHeight><scan:ActualBytesPerLine>0</scan:ActualBytesPerLine></scan:ScanImageInfo>`;
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      return void res.end(x);
    }
    res.writeHead(404);
    res.end();
  }

  private createJob(res: ServerResponse, body: string): void {
    if ((this.faults.busyJobs ?? 0) > 0) {
      this.faults.busyJobs!--;
      return void res.writeHead(503, { 'Retry-After': '1' }).end();
    }
    let s: Record<string, unknown>;
    try {
      const doc = new XMLParser({ removeNSPrefix: true, processEntities: false, parseTagValue: false }).parse(body) as { ScanSettings?: Record<string, unknown> };
      if (!doc.ScanSettings) throw new Error('no ScanSettings');
      s = doc.ScanSettings;
    } catch {
      return void res.writeHead(400).end();
    }
    const region = ((s.ScanRegions as Record<string, unknown> | undefined)?.ScanRegion ?? {}) as Record<string, string>;
    const source = s.InputSource === 'Feeder' ? 'Feeder' : 'Platen';
    if (source === 'Feeder' && this.o.adf === false) return void res.writeHead(409).end();
    if (source === 'Feeder' && this.feeder.length === 0) {
      this.adfState = 'ScannerAdfEmpty';
      return void res.writeHead(409).end();
    }
    const mode = (['RGB24', 'Grayscale8', 'BlackAndWhite1'] as const).find((x) => x === s.ColorMode) ?? 'RGB24';
    const fmtOf = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const format = (fmtOf(s.DocumentFormatExt) ?? fmtOf(s.DocumentFormat) ?? 'image/jpeg') as SandboxFormat;
    const job: Job = {
      id: randomUUID(),
      source,
      duplex: source === 'Feeder' && String(s.Duplex) === 'true',
      mode,
      dpi: Number(s.XResolution ?? 300) || 300,
      format: ['image/jpeg', 'image/png', 'application/pdf'].includes(format) ? format : 'image/jpeg',
      width: Math.min(MAX_W, Number(region.Width ?? MAX_W) || MAX_W),
      height: Math.min(MAX_H, Number(region.Height ?? MAX_H) || MAX_H),
      state: 'Processing',
      reason: 'JobScanning',
      delivered: 0,
      backDue: null,
      pdfSent: false,
    };
    this.jobs.set(job.id, job);
    const host = this.faults.foreignLocation ? `127.0.0.2:${this.port}` : `127.0.0.1:${this.port}`;
    res.writeHead(201, { Location: `${this.o.tls ? 'https' : 'http'}://${host}/eSCL/ScanJobs/${job.id}`, 'Content-Length': 0 });
    res.end();
  }

  private page(job: Job, sheet: number, back: boolean): Promise<Buffer> {
    const blank = (this.o.blankSheets ?? []).includes(sheet) || (back && (this.o.blankBacks ?? false));
    const spec: PageSpec = { sheet, back, blank, width: job.width, height: job.height, dpi: job.dpi, mode: job.mode };
    const fmt = job.format === 'image/png' ? 'image/png' : 'image/jpeg';
    const key = JSON.stringify([spec, fmt]);
    let p = this.cache.get(key);
    if (!p) {
      p = renderPage(spec, fmt);
      this.cache.set(key, p);
    }
    return p;
  }

  /** Renders (and caches) pages ahead, so a benchmark measures transfer, not rendering. */
  async prerender(settings: { sheets: number[]; dpi: number; mode: SandboxColorMode; width?: number; height?: number }): Promise<void> {
    const job = { width: settings.width ?? 2480, height: settings.height ?? MAX_H, dpi: settings.dpi, mode: settings.mode, format: 'image/jpeg' } as Job;
    for (const s of settings.sheets) await this.page(job, s, false);
  }

  private end(job: Job, state: Job['state'], reason: string): void {
    job.state = state;
    job.reason = reason;
  }

  private async nextDocument(job: Job, res: ServerResponse): Promise<void> {
    // The page's time runs from the request: rendering it counts inside pageMs (a device at
    // 60 ppm takes a second a page whoever asks, whether its page was rendered before or not).
    const t0 = Date.now();
    const f = this.faults;
    if (job.state !== 'Processing') return void res.writeHead(404).end();
    if ((f.busyPages ?? 0) > 0) {
      f.busyPages!--;
      return void res.writeHead(503, { 'Retry-After': '1' }).end();
    }
    let sheet: number;
    let back = false;
    if (job.source === 'Platen') {
      if (job.delivered > 0) {
        this.end(job, 'Completed', 'JobCompletedSuccessfully');
        return void res.writeHead(404).end();
      }
      sheet = 1000 + ++this.platenCount;
    } else if (job.format === 'application/pdf') {
      return this.pdfDocument(job, res);
    } else if (job.backDue !== null) {
      sheet = job.backDue;
      back = true;
      job.backDue = null;
    } else {
      const top = this.feeder[0];
      if (top === undefined) {
        this.adfState = 'ScannerAdfEmpty';
        this.end(job, 'Completed', 'JobCompletedSuccessfully');
        return void res.writeHead(404).end();
      }
      if (f.jamAtSheet === top) {
        delete f.jamAtSheet;
        this.adfState = 'ScannerAdfJam';
        this.end(job, 'Aborted', 'JamDetected');
        return void res.writeHead(409).end();
      }
      if (f.coverOpenAtSheet === top) {
        delete f.coverOpenAtSheet;
        this.adfState = 'ScannerAdfHatchOpen';
        this.end(job, 'Aborted', 'AdfHatchOpen');
        return void res.writeHead(409).end();
      }
      if (f.vanishAtSheet === top) {
        delete f.vanishAtSheet;
        this.jobs.delete(job.id);
        return void res.writeHead(404).end();
      }
      this.feeder.shift();
      sheet = top;
      if (job.duplex) job.backDue = top;
      if (this.feeder.length === 0 && job.backDue === null) this.adfState = 'ScannerAdfEmpty';
    }
    job.delivered++;
    if (!back && this.feeder.length === 0 && job.source === 'Feeder' && job.backDue !== null) {
      // the last sheet's back is still to come; the feeder itself is empty
      this.adfState = 'ScannerAdfEmpty';
    }
    if (!back && sheet === f.redirectAtSheet) {
      delete f.redirectAtSheet;
      res.writeHead(302, { Location: `http://127.0.0.2:${this.port}/eSCL/ScanJobs/${job.id}/NextDocument` });
      return void res.end();
    }
    if (!back && sheet === f.hugePageAtSheet) {
      delete f.hugePageAtSheet;
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': String(2 * 1024 ** 3) });
      res.write(Buffer.alloc(4096, 0xff));
      return; // and never more: the client must refuse from the header
    }
    if (!back && sheet === f.pixelBombAtSheet) {
      delete f.pixelBombAtSheet;
      const bomb = await pixelBombJpeg();
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': bomb.length });
      return void res.end(bomb);
    }
    const data = await this.page(job, sheet, back);
    if (!back && sheet === f.lyingLengthAtSheet) {
      delete f.lyingLengthAtSheet;
      res.writeHead(200, { 'Content-Type': job.format, 'Content-Length': data.length * 10 });
      res.write(data);
      await sleep(20);
      return void res.socket?.destroy();
    }
    if (!back && sheet === f.truncateAtSheet) {
      delete f.truncateAtSheet;
      res.writeHead(200, { 'Content-Type': job.format, 'Transfer-Encoding': 'chunked' });
      res.write(data.subarray(0, data.length >> 1));
      await sleep(20);
      return void res.socket?.destroy();
    }
    if (!back && sheet === f.stallAtSheet) {
      delete f.stallAtSheet;
      res.writeHead(200, { 'Content-Type': job.format, 'Content-Length': data.length });
      res.write(data.subarray(0, data.length >> 1));
      return; // the scanner is gone: no more bytes, no FIN
    }
    await this.sendBody(res, job.format, data, t0);
  }

  private async pdfDocument(job: Job, res: ServerResponse): Promise<void> {
    if (job.pdfSent || this.feeder.length === 0) {
      this.end(job, 'Completed', 'JobCompletedSuccessfully');
      if (this.feeder.length === 0) this.adfState = 'ScannerAdfEmpty';
      return void res.writeHead(404).end();
    }
    const pdf = await PDFDocument.create();
    const jpegJob = { ...job, format: 'image/jpeg' as const };
    while (this.feeder.length > 0) {
      const sheet = this.feeder.shift()!;
      for (const back of job.duplex ? [false, true] : [false]) {
        const img = await pdf.embedJpg(await this.page(jpegJob, sheet, back));
        const w = (job.width / 300) * 72;
        const h = (job.height / 300) * 72;
        pdf.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
        job.delivered++;
      }
    }
    this.adfState = 'ScannerAdfEmpty';
    job.pdfSent = true;
    await this.sendBody(res, 'application/pdf', Buffer.from(await pdf.save({ useObjectStreams: false })));
  }

  /** Sends a page over `pageMs`, in pieces, as a scanner does while its sensor moves. */
  private async sendBody(res: ServerResponse, type: string, data: Buffer, t0 = Date.now()): Promise<void> {
    const headers: Record<string, string | number> = { 'Content-Type': type };
    if (!this.o.chunked) headers['Content-Length'] = data.length;
    res.writeHead(200, headers);
    const pageMs = this.o.pageMs ?? 0;
    if (pageMs <= 0) return void res.end(data);
    const pieces = 10;
    const size = Math.ceil(data.length / pieces);
    for (let i = 0; i < pieces; i++) {
      // Each piece when the sensor has read it: the last byte leaves at t0 + pageMs.
      await sleep(Math.max(0, t0 + ((i + 1) * pageMs) / pieces - Date.now()));
      if (res.destroyed) return;
      res.write(data.subarray(i * size, (i + 1) * size));
    }
    res.end();
  }
}
