/**
 * DNS-SD discovery of eSCL scanners (_uscan._tcp plain, _uscans._tcp TLS) with bonjour-service:
 * a maintained, typed mDNS/DNS-SD implementation (on top of multicast-dns) that has both the
 * browser we need and a responder, which the tests use to announce a scanner on loopback. It
 * browses continuously once started, so the list is ready when the settings screen asks.
 *
 * Where a scanner is reached: the address its announcement came from (the scanner's address on
 * the link we heard it on), the SRV port, and the TXT "rs" resource path (default "eSCL").
 * Networks that block multicast get nothing here; their scanners are entered by URL.
 */
import { Bonjour, type Browser, type Service } from 'bonjour-service';

export interface Discovered {
  url: string;
  name: string;
  secure: boolean;
}

export class EsclDiscovery {
  private bonjour: Bonjour | null = null;
  private browsers: Browser[] = [];
  private readonly found = new Map<string, Discovered>();
  /** Why discovery does not work here (multicast unavailable), or null. */
  failure: string | null = null;

  constructor(private readonly net: { interface?: string; bind?: string; port?: number } = {}) {}

  start(): void {
    if (this.bonjour || this.failure) return;
    try {
      this.bonjour = new Bonjour({ ...this.net }, (err: unknown) => {
        this.failure = err instanceof Error ? err.message : String(err);
        this.stop();
      });
      for (const [type, secure] of [['uscan', false], ['uscans', true]] as const) {
        const b = this.bonjour.find({ type, protocol: 'tcp' });
        b.on('up', (s) => this.add(s, secure));
        b.on('down', (s) => this.found.delete(`${secure}:${s.fqdn}`));
        this.browsers.push(b);
      }
    } catch (e) {
      this.failure = e instanceof Error ? e.message : String(e);
      this.stop();
    }
  }

  private add(s: Service, secure: boolean): void {
    const host = s.referer?.address ?? s.addresses?.find((a) => !a.includes(':'));
    if (!host || !s.port) return;
    const txt = (s.txt ?? {}) as Record<string, unknown>;
    const rs = typeof txt.rs === 'string' && /^[A-Za-z0-9/_.-]*$/.test(txt.rs) ? txt.rs.replace(/^\/+|\/+$/g, '') : 'eSCL';
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const url = `${secure ? 'https' : 'http'}://${hostPart}:${s.port}${rs ? `/${rs}` : ''}`;
    const name = typeof txt.ty === 'string' && txt.ty ? txt.ty : s.name;
    this.found.set(`${secure}:${s.fqdn}`, { url, name, secure });
  }

  /** Asks the network again and waits `waitMs` for answers. */
  async refresh(waitMs: number): Promise<void> {
    this.start();
    if (!this.bonjour) return;
    for (const b of this.browsers) b.update();
    await new Promise((r) => setTimeout(r, waitMs));
  }

  list(): Discovered[] {
    return [...this.found.values()];
  }

  stop(): void {
    for (const b of this.browsers) b.stop();
    this.browsers = [];
    try {
      this.bonjour?.destroy();
    } catch {
      // already closed
    }
    this.bonjour = null;
  }
}
