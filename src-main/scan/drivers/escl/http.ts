/**
 * HTTP(S) for eSCL, written for answers from devices we do not control. Node's own http/https
 * (no extra library: what is needed is socket-level control, which fetch does not give):
 *
 * - every request has a deadline for each wait (`timeoutMs`: connect, first byte, each next byte);
 *   a scanner that vanishes mid-page is an `IO_ERROR` ("gone") within it, never a hang;
 * - redirects are followed only to the same host (a scanner moving /eSCL to https); one to
 *   another host is refused (SCAN_ESCL_REDIRECT_REFUSED) before anything is sent there;
 * - bodies are bounded: a declared Content-Length above the limit is refused before a byte is
 *   read (SCAN_ESCL_PAGE_TOO_LARGE), a body that grows past it is cut and its file removed, and a
 *   body shorter than its Content-Length is SCAN_ESCL_LENGTH_MISMATCH (file removed);
 * - HTTPS: scanners carry self-signed certificates. A certificate the system trusts for the
 *   host is accepted; any other only when its SHA-256 is pinned for the scanner's origin (an
 *   administrator confirmed it, trust on first use); else SCAN_ESCL_CERT_UNTRUSTED with the
 *   fingerprint to show, or SCAN_ESCL_CERT_CHANGED when it differs from the pinned one. The
 *   check runs when the TLS handshake ends, before the request is written.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls, { type PeerCertificate } from 'node:tls';
import { AppError } from '../../../contract/errors.js';
import { DeviceStatusError } from '../driver.js';

export interface HttpOptions {
  timeoutMs: number;
  pinned: { origin: string; sha256: string }[];
  signal?: AbortSignal;
}

export interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  url: URL;
}

const MAX_REDIRECTS = 3;

/** "AB:CD:..." → "abcd..." */
export function normalFingerprint(f: string): string {
  return f.replace(/:/g, '').toLowerCase();
}

class PinningAgent extends https.Agent {
  constructor(private readonly check: (cert: PeerCertificate, authorized: boolean) => Error | null) {
    super({ keepAlive: false });
  }

  // Node calls createConnection(options, callback); answering through the callback lets the
  // request wait until the certificate was checked.
  override createConnection(options: tls.ConnectionOptions, cb: (err: Error | null, s?: Duplex) => void): undefined {
    let done = false;
    const finish = (err: Error | null, s?: Duplex) => {
      if (done) return;
      done = true;
      cb(err, s);
    };
    const socket = tls.connect({ ...options, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const err = this.check(socket.getPeerCertificate(), socket.authorized);
      if (err) {
        socket.destroy();
        finish(err);
      } else finish(null, socket);
    });
    socket.once('error', (e: Error) => finish(e));
    return undefined;
  }
}

function agentFor(url: URL, o: HttpOptions): http.Agent | https.Agent {
  if (url.protocol === 'http:') return new http.Agent({ keepAlive: false });
  const origin = url.origin;
  return new PinningAgent((cert, authorized) => {
    const sha = normalFingerprint(cert.fingerprint256 ?? '');
    const pin = o.pinned.find((p) => p.origin === origin);
    if (pin) return normalFingerprint(pin.sha256) === sha ? null : new AppError('SCAN_ESCL_CERT_CHANGED', { origin, sha256: sha });
    if (authorized && !tls.checkServerIdentity(url.hostname, cert)) return null;
    return new AppError('SCAN_ESCL_CERT_UNTRUSTED', { origin, sha256: sha });
  });
}

/** No answer within the deadline, or no connection at all: the scanner is gone from the network. */
function gone(what: string, e?: unknown): AppError {
  return new AppError('SCAN_DEVICE_GONE', {}, { detail: `${what}: ${e instanceof Error ? e.message : 'no answer'}` });
}

/** The connection broke in the middle of an answer. */
function broken(what: string, e?: unknown): DeviceStatusError {
  return new DeviceStatusError('IO_ERROR', `${what}: ${e instanceof Error ? e.message : 'connection closed'}`);
}

/** Sends one request; follows same-host redirects; resolves with the response, body unread. */
export async function send(url: URL, method: string, o: HttpOptions, body?: string, redirects = 0): Promise<{ res: IncomingMessage; url: URL }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('SCAN_ESCL_REDIRECT_REFUSED', { host: url.host });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method,
      agent: agentFor(url, o),
      headers: {
        Accept: '*/*',
        Connection: 'close',
        ...(body !== undefined ? { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } : {}),
      },
      timeout: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    req.once('timeout', () => req.destroy(gone(`${method} ${url.pathname} timed out`)));
    req.once('error', (e) => reject(e instanceof AppError || e instanceof DeviceStatusError ? e : o.signal?.aborted ? new DeviceStatusError('CANCELLED') : gone(`${method} ${url.pathname}`, e)));
    req.once('response', (res) => {
      // From here the body's own idle timer (idleTimer) keeps the deadline, so that a stalled
      // body is reported as a scanner gone, not as a short body cut by the socket timeout.
      req.setTimeout(0);
      resolve(res);
    });
    req.end(body);
  });
  if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
    res.resume();
    const next = new URL(res.headers.location, url);
    if (next.hostname !== url.hostname) throw new AppError('SCAN_ESCL_REDIRECT_REFUSED', { host: next.host });
    if (redirects >= MAX_REDIRECTS) throw new AppError('SCAN_ESCL_MALFORMED', { what: 'redirects' });
    return send(next, method, o, body, redirects + 1);
  }
  return { res, url };
}

/** Reads a whole (small) body into memory, at most `maxBytes`. */
export function readBody(res: IncomingMessage, maxBytes: number, o: HttpOptions): Promise<Buffer> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    res.destroy();
    return Promise.reject(new AppError('SCAN_ESCL_XML_REFUSED', { reason: 'size', what: 'answer' }));
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let n = 0;
    const timer = idleTimer(res, o.timeoutMs, reject);
    res.on('data', (c: Buffer) => {
      timer.touch();
      n += c.length;
      if (n > maxBytes) {
        timer.stop();
        res.destroy();
        reject(new AppError('SCAN_ESCL_XML_REFUSED', { reason: 'size', what: 'answer' }));
        return;
      }
      parts.push(c);
    });
    res.once('end', () => {
      timer.stop();
      if (Number.isFinite(declared) && n !== declared) reject(new AppError('SCAN_ESCL_LENGTH_MISMATCH', { declared, received: n }));
      else resolve(Buffer.concat(parts));
    });
    res.once('error', (e) => {
      timer.stop();
      reject(lengthOrGone(declared, n, e));
    });
  });
}

function lengthOrGone(declared: number, received: number, e: unknown): Error {
  if (e instanceof AppError || e instanceof DeviceStatusError) return e;
  // The connection closed before the declared end: the answer lied about its length (or the
  // link dropped mid-page); either way the page is refused whole.
  if (Number.isFinite(declared) && received < declared) return new AppError('SCAN_ESCL_LENGTH_MISMATCH', { declared, received });
  return broken('reading the answer', e);
}

function idleTimer(res: IncomingMessage, ms: number, reject: (e: unknown) => void) {
  let t: NodeJS.Timeout | null = null;
  const arm = () => {
    if (t) clearTimeout(t);
    t = setTimeout(() => {
      // Settle first: destroying the response makes it report an error of its own.
      reject(gone('no data from the scanner'));
      res.destroy();
    }, ms);
  };
  arm();
  return { touch: arm, stop: () => t && clearTimeout(t) };
}

/**
 * Streams a page body to `file` (mode 0600), refusing declared or actual sizes above `maxBytes`.
 * On any failure the file is removed: nothing of a refused page stays on disk.
 */
export async function bodyToFile(res: IncomingMessage, file: string, maxBytes: number, o: HttpOptions, onBytes: (n: number, declared: number | null) => void): Promise<number> {
  const declaredRaw = res.headers['content-length'];
  const declared = declaredRaw === undefined ? NaN : Number(declaredRaw);
  if (declaredRaw !== undefined && !(Number.isSafeInteger(declared) && declared >= 0)) {
    res.destroy();
    throw new AppError('SCAN_ESCL_MALFORMED', { what: 'Content-Length' });
  }
  if (declared > maxBytes) {
    res.destroy();
    throw new AppError('SCAN_ESCL_PAGE_TOO_LARGE', { declaredMb: Math.ceil(declared / 2 ** 20), maxMb: Math.floor(maxBytes / 2 ** 20) });
  }
  const out = createWriteStream(file, { mode: 0o600 });
  try {
    return await new Promise<number>((resolve, reject) => {
      let n = 0;
      const timer = idleTimer(res, o.timeoutMs, reject);
      const fail = (e: Error) => {
        timer.stop();
        res.destroy();
        reject(e);
      };
      res.on('data', (c: Buffer) => {
        timer.touch();
        n += c.length;
        if (n > maxBytes) return fail(new AppError('SCAN_ESCL_PAGE_TOO_LARGE', { declaredMb: Math.ceil(n / 2 ** 20), maxMb: Math.floor(maxBytes / 2 ** 20) }));
        if (!out.write(c)) {
          res.pause();
          out.once('drain', () => res.resume());
        }
        onBytes(n, Number.isFinite(declared) ? declared : null);
      });
      res.once('end', () => {
        timer.stop();
        if (Number.isFinite(declared) && n !== declared) return reject(new AppError('SCAN_ESCL_LENGTH_MISMATCH', { declared, received: n }));
        out.end(() => resolve(n));
      });
      res.once('error', (e) => fail(o.signal?.aborted ? new DeviceStatusError('CANCELLED') : lengthOrGone(declared, n, e)));
      res.once('aborted', () => fail(o.signal?.aborted ? new DeviceStatusError('CANCELLED') : lengthOrGone(declared, n, new Error('aborted'))));
      out.once('error', fail);
    });
  } catch (e) {
    out.destroy();
    await rm(file, { force: true });
    throw e;
  }
}
