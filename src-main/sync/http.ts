/**
 * A small HTTP(S) client for the gateway: explicit CA, a deadline per request, a cap on the
 * response size, and every failure mapped to a typed, retryable-or-not AppError. Built on
 * node:http(s) rather than fetch so the CA, the socket and the body size are under our control.
 */
import http from 'node:http';
import https from 'node:https';
import { AppError } from '../contract/errors.js';

export interface HttpOptions {
  baseUrl: string;
  caPem?: string | null;
  timeoutMs: number;
  maxResponseBytes: number;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export function httpRequest(
  opts: HttpOptions,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<HttpResponse> {
  const url = new URL(path, opts.baseUrl);
  const isHttps = url.protocol === 'https:';
  const lib = isHttps ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: AppError) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(e);
    };
    const req = lib.request(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-length': String(body.byteLength) } : {}),
          ...opts.headers,
          ...headers,
        },
        ...(isHttps && opts.caPem ? { ca: opts.caPem } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > opts.maxResponseBytes) {
            fail(new AppError('GATEWAY_RESPONSE_TOO_LARGE', { limit: opts.maxResponseBytes }));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('aborted', () => fail(new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true })));
        res.on('error', (e) => fail(new AppError('GATEWAY_CONNECTION_LOST', {}, { retryable: true, cause: e })));
      },
    );
    const timer = setTimeout(
      () => fail(new AppError('GATEWAY_TIMEOUT', { seconds: Math.round(opts.timeoutMs / 1000) }, { retryable: true })),
      opts.timeoutMs,
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code ?? '');
      fail(
        tls
          ? new AppError('GATEWAY_TLS', {}, { cause: e })
          : new AppError('GATEWAY_UNREACHABLE', {}, { retryable: true, cause: e }),
      );
    });
    if (body) req.end(body);
    else req.end();
  });
}

/** Parses a JSON body or throws GATEWAY_BAD_RESPONSE (truncated, malformed, not an object). */
export function parseJsonBody(res: HttpResponse): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(res.body.toString('utf8'));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new AppError('GATEWAY_BAD_RESPONSE', { status: res.status }, { retryable: true, cause: e });
  }
}
