/**
 * Who may drive the browser host (see browser-host.ts): the session secret, the one-time codes
 * that the opening URL carries, the session cookie (named for the port), and the hosts and
 * origins that are ours. Comparisons of secrets are constant-time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/** How long a one-time code stays valid: the launcher opens the browser at once. */
const OPEN_CODE_TTL_MS = 2 * 60_000;

export class BrowserAccess {
  /** The port listened on (0 until then). */
  port = 0;
  readonly token: string;
  private readonly tokenBuf: Buffer;
  /** One-time codes and when each stops being valid. */
  private readonly openCodes = new Map<string, number>();

  constructor(token?: string) {
    this.token = token ?? randomBytes(32).toString('hex');
    this.tokenBuf = Buffer.from(this.token);
  }

  get cookieName(): string {
    return this.port ? `qabyldau-${this.port}` : 'qabyldau';
  }

  /** The Set-Cookie value that opens a session in this browser. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  tokenOk(candidate: unknown): boolean {
    if (typeof candidate !== 'string' || !candidate) return false;
    const c = Buffer.from(candidate);
    return c.length === this.tokenBuf.length && timingSafeEqual(c, this.tokenBuf);
  }

  cookieOk(req: http.IncomingMessage): boolean {
    return this.tokenOk(cookieValue(req.headers.cookie, this.cookieName));
  }

  /** 127.0.0.1:<port> or localhost:<port>: no DNS rebinding. */
  hostAllowed(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`;
  }

  originAllowed(origin: string | undefined): boolean {
    return origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`;
  }

  newCode(): string {
    const code = randomBytes(32).toString('hex');
    this.openCodes.set(code, Date.now() + OPEN_CODE_TTL_MS);
    return code;
  }

  /** True once for a valid code, which is then spent; expired codes are dropped on the way. */
  takeCode(code: string | null): boolean {
    if (!code) return false;
    for (const [c, until] of this.openCodes) {
      if (until < Date.now()) this.openCodes.delete(c);
      else if (c.length === code.length && timingSafeEqual(Buffer.from(c), Buffer.from(code))) {
        this.openCodes.delete(c);
        return true;
      }
    }
    return false;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
