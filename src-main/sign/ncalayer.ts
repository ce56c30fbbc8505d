/**
 * Client of NCALayer, the national CA's signing service that runs on the operator's computer and
 * listens on wss://127.0.0.1:13579. It signs with keys the operator picks in NCALayer's own window
 * (PKCS#12 file, Kaztoken, ID card), including GOST keys that Node cannot use.
 *
 * Protocol (JSON text frames), as NCALayer 1.4+ speaks it:
 *   <- {"result":{"version":"1.4"}}                         sent by NCALayer when the socket opens
 *   -> {"module":"kz.gov.pki.knca.basics","method":"sign","args":{
 *         "allowedStorages":[...]?, "format":"cms", "data":"<base64>",
 *         "signingParams":{"decode":true,"encapsulate":false,"digested":false},
 *         "signerParams":{"extKeyUsageOids":[],"iin":"…","bin":"…"}, "locale":"kk"}}
 *   <- {"status":true,"body":{"result":["<base64 CMS>"]}}   signed (result may also be a string)
 *   <- {"status":true,"body":{}}                            the user closed the dialog
 *   <- {"status":false,"code":"…","message":"…","details":"…"} failure
 * The older commonUtils module answers {"code":"200","responseObject":…} / {"code":"500",
 * "message":"action.canceled"}; both shapes are understood.
 *
 * TLS: NCALayer serves a certificate of its own (self-signed) for 127.0.0.1. Three ways to trust it:
 * `ca` (a configured PEM: full TLS validation); `pin` (trust on first use by an administrator: the
 * SHA-256 of the certificate an administrator accepted; none accepted yet: SIGN_NCALAYER_NOT_PINNED;
 * another certificate presented: SIGN_NCALAYER_CERT_CHANGED, nothing is sent to it); or neither
 * (tools and tests only: loopback, certificate unchecked). `peerCertificate()` shows what NCALayer
 * presents, for the administrator to compare and accept. Any other process that manages to listen
 * on NCALayer's port first (on a shared PC, another account's) is refused by the pin.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { AppError } from '../contract/errors.js';
import { silentLogger, type Logger } from '../host/logger-types.js';

export const NCALAYER_DEFAULT_URL = 'wss://127.0.0.1:13579';

export interface NcaLayerOptions {
  url?: string;
  /** NCALayer's TLS certificate (PEM) to pin. */
  ca?: string | Buffer;
  connectTimeoutMs?: number;
  /** How long the operator may take to pick a key and type the PIN. */
  responseTimeoutMs?: number;
  locale?: 'kk' | 'ru' | 'en';
  logger?: Logger;
  /** Trust on first use: the accepted certificate's SHA-256, read at each connection. */
  pin?: NcaLayerPin;
}

export interface NcaLayerPin {
  /** Lower-case hex SHA-256 of the DER certificate an administrator accepted, or null (none yet). */
  get(): string | null;
}

/** What NCALayer presents on its TLS port (shown to the administrator who pins it). */
export interface NcaLayerPeer {
  sha256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
}

function peerOf(res: IncomingMessage): NcaLayerPeer | null {
  const raw = (res.socket as TLSSocket).getPeerCertificate?.()?.raw;
  if (!raw) return null;
  const x = new X509Certificate(raw);
  return {
    sha256: x.fingerprint256.replace(/:/g, '').toLowerCase(),
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
  };
}

export interface NcaLayerSignRequest {
  /** Only offer keys whose certificate carries this IIN / BIN (NCALayer filters its list). */
  iin?: string;
  bin?: string;
  /** e.g. ['PKCS12', 'AKKaztokenStore', 'AKIDCardStore']; default: all NCALayer knows. */
  storages?: string[];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

interface Reply {
  result?: { version?: string };
  status?: boolean;
  body?: { result?: string | string[] };
  code?: string | number;
  message?: string;
  responseObject?: unknown;
}

export class NcaLayerClient {
  private readonly url: string;
  private readonly log: Logger;

  constructor(private readonly opts: NcaLayerOptions = {}) {
    this.url = opts.url ?? NCALAYER_DEFAULT_URL;
    this.log = opts.logger ?? silentLogger;
    const host = new URL(this.url).hostname;
    if (!opts.ca && !LOOPBACK.has(host)) throw new Error('NCALayer without a pinned certificate must be on a loopback address');
  }

  /** Connects, reads the certificate NCALayer presents, and closes (nothing is sent). */
  peerCertificate(): Promise<NcaLayerPeer> {
    const timeoutMs = this.opts.connectTimeoutMs ?? 3000;
    return new Promise<NcaLayerPeer>((resolve, reject) => {
      const ws = new WebSocket(this.url, { handshakeTimeout: timeoutMs, rejectUnauthorized: false });
      const done = (e: AppError | null, peer?: NcaLayerPeer) => {
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
        if (e) reject(e);
        else resolve(peer!);
      };
      ws.on('upgrade', (res: IncomingMessage) => {
        const peer = peerOf(res);
        done(peer ? null : new AppError('SIGN_NCALAYER_FAILED', { reason: 'no-certificate' }), peer ?? undefined);
      });
      ws.on('error', (e: NodeJS.ErrnoException) => done(new AppError('SIGN_NCALAYER_NOT_RUNNING', {}, { retryable: true, cause: e, detail: e.code ?? e.message })));
      ws.on('close', () => done(new AppError('SIGN_NCALAYER_NOT_RUNNING', {}, { retryable: true })));
    });
  }

  /** The pin's verdict on the certificate of a connection being opened (null: go ahead). */
  private pinProblem(res: IncomingMessage): AppError | null {
    if (this.opts.ca || !this.opts.pin) return null;
    const pinned = this.opts.pin.get();
    const peer = peerOf(res);
    if (!pinned) return new AppError('SIGN_NCALAYER_NOT_PINNED');
    if (!peer || peer.sha256 !== pinned) {
      this.log.warn({ presented: peer?.sha256 ?? null, pinned }, 'NCALayer presents another certificate than the one an administrator accepted: refused');
      return new AppError('SIGN_NCALAYER_CERT_CHANGED');
    }
    return null;
  }

  /** Asks NCALayer for a detached CMS signature over `data`; returns its DER. */
  async signCms(data: Uint8Array, req: NcaLayerSignRequest = {}): Promise<Uint8Array> {
    const args: Record<string, unknown> = {
      format: 'cms',
      data: Buffer.from(data).toString('base64'),
      signingParams: { decode: true, encapsulate: false, digested: false },
      signerParams: { extKeyUsageOids: [], ...(req.iin ? { iin: req.iin } : {}), ...(req.bin ? { bin: req.bin } : {}) },
      locale: this.opts.locale ?? 'kk',
    };
    if (req.storages?.length) args.allowedStorages = req.storages;
    const reply = await this.exchange({ module: 'kz.gov.pki.knca.basics', method: 'sign', args });
    return decodeSignReply(reply);
  }

  private exchange(request: unknown): Promise<Reply> {
    const connectTimeout = this.opts.connectTimeoutMs ?? 3000;
    const responseTimeout = this.opts.responseTimeoutMs ?? 10 * 60 * 1000;
    return new Promise<Reply>((resolve, reject) => {
      const ws = new WebSocket(this.url, {
        handshakeTimeout: connectTimeout,
        ...(this.opts.ca ? { ca: this.opts.ca } : { rejectUnauthorized: false }),
      });
      let opened = false;
      let greeted = false;
      let settled = false;
      let timer: NodeJS.Timeout | undefined = setTimeout(() => fail(new AppError('SIGN_NCALAYER_NOT_RUNNING', {}, { retryable: true, detail: 'connect timeout' })), connectTimeout);
      const finish = () => {
        settled = true;
        if (timer) clearTimeout(timer);
        timer = undefined;
        ws.removeAllListeners();
        ws.on('error', () => {});
        ws.terminate();
      };
      const fail = (e: AppError) => {
        if (settled) return;
        finish();
        this.log.warn({ code: e.code }, 'NCALayer request failed');
        reject(e);
      };
      const send = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => fail(new AppError('SIGN_NCALAYER_FAILED', { reason: 'timeout' }, { retryable: true })), responseTimeout);
        ws.send(JSON.stringify(request));
      };
      ws.on('upgrade', (res: IncomingMessage) => {
        // Before anything is sent: the certificate must be the one an administrator accepted.
        const problem = this.pinProblem(res);
        if (problem) fail(problem);
      });
      ws.on('open', () => {
        opened = true;
        // NCALayer greets with its version; older builds may not, so do not wait for it forever.
        setTimeout(() => {
          if (!greeted && !settled) {
            greeted = true;
            send();
          }
        }, 500);
      });
      ws.on('message', (raw) => {
        let msg: Reply;
        try {
          msg = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8')) as Reply;
        } catch {
          fail(new AppError('SIGN_NCALAYER_FAILED', { reason: 'bad-reply' }));
          return;
        }
        if (!greeted && msg.result?.version !== undefined) {
          greeted = true;
          this.log.debug({ version: msg.result.version }, 'NCALayer connected');
          send();
          return;
        }
        if (settled) return;
        finish();
        resolve(msg);
      });
      ws.on('error', (e: NodeJS.ErrnoException) => {
        fail(
          opened
            ? new AppError('SIGN_NCALAYER_FAILED', { reason: 'connection' }, { retryable: true, cause: e })
            : new AppError('SIGN_NCALAYER_NOT_RUNNING', {}, { retryable: true, cause: e, detail: e.code ?? e.message }),
        );
      });
      ws.on('close', () => {
        fail(opened ? new AppError('SIGN_NCALAYER_FAILED', { reason: 'closed' }, { retryable: true }) : new AppError('SIGN_NCALAYER_NOT_RUNNING', {}, { retryable: true }));
      });
    });
  }
}

function decodeSignReply(reply: Reply): Uint8Array {
  let b64: unknown;
  if (typeof reply.status === 'boolean') {
    if (!reply.status) throw new AppError('SIGN_NCALAYER_FAILED', { reason: String(reply.code ?? 'error') });
    if (!reply.body || reply.body.result === undefined) throw new AppError('SIGN_NCALAYER_CANCELLED');
    b64 = Array.isArray(reply.body.result) ? reply.body.result[0] : reply.body.result;
  } else if (reply.code !== undefined) {
    if (String(reply.code) !== '200') {
      if (/cancel/i.test(String(reply.message ?? ''))) throw new AppError('SIGN_NCALAYER_CANCELLED');
      throw new AppError('SIGN_NCALAYER_FAILED', { reason: String(reply.code) });
    }
    b64 = reply.responseObject;
  }
  if (typeof b64 !== 'string' || b64.length === 0) throw new AppError('SIGN_NCALAYER_FAILED', { reason: 'empty' });
  return new Uint8Array(Buffer.from(b64.replace(/-----[^-]+-----|\s+/g, ''), 'base64'));
}
