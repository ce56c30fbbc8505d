/** A minimal HTTP client for CRL and OCSP fetches: timeout, size cap, no redirects to other schemes. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpOptions {
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  timeoutMs: number;
  maxBytes?: number;
}

export function httpFetch(url: string, opts: HttpOptions): Promise<Uint8Array> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(new Error(`scheme ${u.protocol}`));
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = req(
      u,
      {
        method: opts.method ?? 'GET',
        timeout: opts.timeoutMs,
        headers: opts.body
          ? { 'content-type': opts.contentType ?? 'application/octet-stream', 'content-length': String(opts.body.byteLength) }
          : {},
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.byteLength;
          if (size > maxBytes) {
            r.destroy(new Error('response too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
        res.on('error', reject);
      },
    );
    // `timeout` only covers idle sockets; cap the whole exchange as well.
    const timer = setTimeout(() => r.destroy(new Error('timeout')), opts.timeoutMs);
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.on('close', () => clearTimeout(timer));
    r.end(opts.body ? Buffer.from(opts.body) : undefined);
  });
}
