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
import { renderPage, type PageSpec, type SandboxColorMode, type SandboxFormat } from './pages.js';

export interface SandboxFaults {
  /** The feeder jams when this sheet is fed (once); the sheet stays in the feeder. */
  jamAtSheet?: number;
  /** The cover opens when this sheet is fed (once). */
  coverOpenAtSheet?: number;
  /** The scanner drops the job when this sheet would be fed (once); paper stays loaded. */
  vanishAtSheet?: number;
  /** The next N requests to ScanJobs answer 503 (busy). */
  busyJobs?: number;
  /** The next N NextDocument requests answer 503 before the page comes. */
  busyPages?: number;
  /** This sheet's body is cut off halfway (chunked, then the connection closes). */
  truncateAtSheet?: number;
  /** This sheet's headers come, half its body, then nothing: a scanner gone from the network. */
  stallAtSheet?: number;
  /** Malformed XML for this document. */
  malformed?: 'capabilities' | 'status';
  /** Hostile answers. */
  xmlBomb?: 'capabilities' | 'status';
  hugePageAtSheet?: number;
  lyingLengthAtSheet?: number;
  redirectAtSheet?: number;
  pixelBombAtSheet?: number;
  /** ScanJobs' Location points at another host. */
  foreignLocation?: boolean;
}

export interface SandboxScannerOptions {
  /** Time to "scan" one page: the body is sent in pieces over this long (60 ppm = 1000 ms). */
  pageMs?: number;
  /** Sheets in the feeder at start. */
  feeder?: number;
  /** Sheets whose both sides are blank (for blank-page skip). */
  blankSheets?: number[];
  /** Only blank back sides (duplex): every sheet's back is blank when true. */
  blankBacks?: boolean;
  formats?: SandboxFormat[];
  resolutions?: number[];
  adf?: boolean;
  duplex?: boolean;
  /** Send bodies chunked (no Content-Length), as some printers do. */
  chunked?: boolean;
  tls?: { key: string; cert: string };
  makeAndModel?: string;
}

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

const NS = 'xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"';
const MAX_W = 2550; // 8.5 in
const MAX_H = 3508; // 297 mm
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

  constructor(readonly o: SandboxScannerOptions = {}) {
    const n = o.feeder ?? 0;
    this.feeder = Array.from({ length: n }, (_, i) => i + 1);
    this.nextSheet = n + 1;
    this.adfState = n > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty';
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
    const formats = this.o.formats ?? ['image/jpeg', 'application/pdf', 'image/png'];
    const res = this.o.resolutions ?? [75, 100, 150, 200, 300, 600];
    const profile = `<scan:SettingProfiles><scan:SettingProfile>
<scan:ColorModes><scan:ColorMode>BlackAndWhite1</scan:ColorMode><scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes>
<scan:ContentTypes><pwg:ContentType>Photo</pwg:ContentType><pwg:ContentType>Text</pwg:ContentType><pwg:ContentType>TextAndPhoto</pwg:ContentType></scan:ContentTypes>
<scan:DocumentFormats>${formats.map((f) => `<pwg:DocumentFormat>${f}</pwg:DocumentFormat>`).join('')}${formats.map((f) => `<scan:DocumentFormatExt>${f}</scan:DocumentFormatExt>`).join('')}</scan:DocumentFormats>
<scan:SupportedResolutions><scan:DiscreteResolutions>${res.map((r) => `<scan:DiscreteResolution><scan:XResolution>${r}</scan:XResolution><scan:YResolution>${r}</scan:YResolution></scan:DiscreteResolution>`).join('')}</scan:DiscreteResolutions></scan:SupportedResolutions>
<scan:ColorSpaces><scan:ColorSpace>RGB</scan:ColorSpace></scan:ColorSpaces>
</scan:SettingProfile></scan:SettingProfiles>`;
    const input = (tag: string) => `<scan:${tag}><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>${MAX_W}</scan:MaxWidth><scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>${MAX_H}</scan:MaxHeight><scan:MaxScanRegions>1</scan:MaxScanRegions>${profile}<scan:SupportedIntents><scan:Intent>Document</scan:Intent><scan:Intent>TextAndGraphic</scan:Intent><scan:Intent>Photo</scan:Intent></scan:SupportedIntents><scan:MaxOpticalXResolution>600</scan:MaxOpticalXResolution><scan:MaxOpticalYResolution>600</scan:MaxOpticalYResolution><scan:RiskyLeftMargin>0</scan:RiskyLeftMargin><scan:RiskyRightMargin>0</scan:RiskyRightMargin><scan:RiskyTopMargin>0</scan:RiskyTopMargin><scan:RiskyBottomMargin>0</scan:RiskyBottomMargin></scan:${tag}>`;
    const adf = this.o.adf === false ? '' : `<scan:Adf>${input('AdfSimplexInputCaps')}${this.o.duplex === false ? '' : input('AdfDuplexInputCaps')}<scan:FeederCapacity>50</scan:FeederCapacity><scan:AdfOptions><scan:AdfOption>DetectPaperLoaded</scan:AdfOption>${this.o.duplex === false ? '' : '<scan:AdfOption>Duplex</scan:AdfOption>'}</scan:AdfOptions></scan:Adf>`;
    return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerCapabilities ${NS}>
<pwg:Version>2.63</pwg:Version>
<pwg:MakeAndModel>${this.o.makeAndModel ?? 'Qabyldau Sandbox eSCL'}</pwg:MakeAndModel>
<pwg:SerialNumber>SBX0001</pwg:SerialNumber>
<scan:UUID>4509a320-00a0-008f-00b6-002507510eca</scan:UUID>
<scan:AdminURI>${this.url.replace(/\/eSCL$/, '')}/</scan:AdminURI>
<scan:Platen>${input('PlatenInputCaps')}</scan:Platen>
${adf}
</scan:ScannerCapabilities>
`;
  }

  private status(): string {
    const busy = [...this.jobs.values()].some((j) => j.state === 'Processing');
    const jobs = [...this.jobs.values()]
      .map(
        (j) => `<scan:JobInfo><pwg:JobUri>/eSCL/ScanJobs/${j.id}</pwg:JobUri><pwg:JobUuid>${j.id}</pwg:JobUuid><scan:Age>1</scan:Age><pwg:ImagesCompleted>${j.delivered}</pwg:ImagesCompleted><pwg:ImagesToTransfer>${j.state === 'Processing' ? 1 : 0}</pwg:ImagesToTransfer><pwg:JobState>${j.state}</pwg:JobState><pwg:JobStateReasons><pwg:JobStateReason>${j.reason}</pwg:JobStateReason></pwg:JobStateReasons></scan:JobInfo>`,
      )
      .join('');
    return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScannerStatus ${NS}>
<pwg:Version>2.63</pwg:Version>
<pwg:State>${busy ? 'Processing' : 'Idle'}</pwg:State>
${this.o.adf === false ? '' : `<scan:AdfState>${this.adfState}</scan:AdfState>`}
<scan:Jobs>${jobs}</scan:Jobs>
</scan:ScannerStatus>
`;
  }

  private xml(res: ServerResponse, body: string, which: 'capabilities' | 'status'): void {
    if (this.faults.xmlBomb === which) {
      body = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<scan:ScannerStatus ${NS}><pwg:State>&lol9;</pwg:State></scan:ScannerStatus>`;
    } else if (this.faults.malformed === which) {
      body = body.slice(0, Math.floor(body.length / 2)) + '<scan:Broken attr=></';
    }
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

/** A small JPEG whose header claims 60 000 × 60 000 pixels (a decompression bomb). */
async function pixelBombJpeg(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const small = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#fff" } }).jpeg().toBuffer();
  // Patch the SOF0 frame header's height and width.
  for (let i = 2; i < small.length - 9; i++) {
    if (small[i] === 0xff && (small[i + 1] === 0xc0 || small[i + 1] === 0xc2)) {
      small.writeUInt16BE(60000, i + 5);
      small.writeUInt16BE(60000, i + 7);
      break;
    }
  }
  return small;
}
