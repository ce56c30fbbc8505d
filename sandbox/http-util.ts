/** HTTP plumbing shared by the sandbox's listeners: typed errors, bounded bodies, JSON answers. */
import type http from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly retryable = false,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const bad = (field: string) => new HttpError(400, 'BAD_REQUEST', false, { field });

/** An answer: JSON, or raw bytes with their content type. */
export interface Answer {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > max) {
      reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', false, { limit: max }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > max) {
        reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', false, { limit: max }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

export function parseJsonObject(b: Buffer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(b.toString('utf8'));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'BAD_REQUEST', false, { field: 'body' });
}

export function str(v: unknown, re: RegExp, field: string): string {
  if (typeof v !== 'string' || !re.test(v)) throw bad(field);
  return v;
}

export function int(v: unknown, min: number, max: number, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw bad(field);
  return v;
}

export function errorAnswer(e: HttpError): Answer {
  return {
    status: e.status,
    json: { error: { code: e.code, retryable: e.retryable, ...e.extra } },
    headers: e.headers,
  };
}

/** The bytes and headers of an answer, as sent. */
export function serialise(a: Answer, extraHeaders: Record<string, string>): { status: number; headers: Record<string, string>; body: Buffer } {
  const body = a.raw ?? Buffer.from(JSON.stringify(a.json ?? null), 'utf8');
  return {
    status: a.status,
    headers: {
      'content-type': a.contentType ?? 'application/json; charset=utf-8',
      'content-length': String(body.byteLength),
      'cache-control': 'no-store',
      ...extraHeaders,
      ...a.headers,
    },
    body,
  };
}

export function send(res: http.ServerResponse, s: { status: number; headers: Record<string, string>; body: Buffer }): void {
  res.writeHead(s.status, s.headers);
  res.end(s.body);
}

/** The raw HTTP/1.1 text of a response, for writing it again on the socket (a duplicate response). */
export function rawResponse(s: { status: number; headers: Record<string, string>; body: Buffer }): Buffer {
  const head = [`HTTP/1.1 ${s.status} X`, ...Object.entries(s.headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), s.body]);
}
