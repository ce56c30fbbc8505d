// DNS-SD discovery of eSCL scanners, kept on this machine: the sandbox scanner is announced as
// _uscan._tcp by bonjour-service's own responder, and the worker's browser finds it, both with
// multicast bound to the loopback interface (IP_MULTICAST_IF 127.0.0.1, TTL 1) on a free port
// instead of 5353, so nothing leaves the machine and no other mDNS responder is involved.
//
// Assumption, checked first and stated: the kernel delivers multicast sent on loopback back to
// loopback listeners (true on Linux here, even though `lo` has no MULTICAST flag). A CI sandbox
// may forbid it; then the test checks what an operator meets on a network that blocks multicast
// instead: discovery finds nothing, within its bounded wait, and the scanners entered by URL are
// still listed and scan.
import { createSocket } from 'node:dgram';
import { Bonjour } from 'bonjour-service';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxEsclScanner } from '../../../sandbox/escl/scanner.js';
import { esclDeviceId } from '../../../src-main/scan/drivers/escl/escl-driver.js';
import { scanHarness, type Harness } from '../../support/scan/harness.js';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Does multicast on loopback reach a listener here? (the library's own responder and browser) */
async function loopbackMulticastWorks(net: { interface: string; bind: string; port: number }): Promise<boolean> {
  const pub = new Bonjour(net, () => {});
  const browse = new Bonjour(net, () => {});
  try {
    pub.publish({ name: `probe-${process.pid}`, type: 'qabprobe', port: 9, host: 'localhost' });
    return await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 2500);
      browse.find({ type: 'qabprobe' }, () => {
        clearTimeout(t);
        resolve(true);
      });
    });
  } finally {
    pub.unpublishAll();
    pub.destroy();
    browse.destroy();
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('eSCL discovery by DNS-SD (_uscan._tcp), on loopback', () => {
  it('finds an announced scanner and scans from it; or, without multicast, still lists the configured one', async () => {
    const net = { interface: '127.0.0.1', bind: '224.0.0.251', port: await freeUdpPort() };
    const multicast = await loopbackMulticastWorks(net);

    const announced = new SandboxEsclScanner({ feeder: 1, makeAndModel: 'Announced MFP' });
    await announced.start();
    cleanups.push(() => announced.stop());
    const configured = new SandboxEsclScanner({ feeder: 1, makeAndModel: 'Configured MFP' });
    await configured.start();
    cleanups.push(() => configured.stop());

    const responder = new Bonjour(net, () => {});
    responder.publish({ name: 'Sandbox eSCL', type: 'uscan', port: announced.port, host: 'localhost', txt: { rs: 'eSCL', ty: 'Announced MFP', vers: '2.63' } });
    cleanups.push(() => {
      responder.unpublishAll();
      responder.destroy();
    });

    const h: Harness = await scanHarness({
      escl: { scanners: [{ url: configured.url }], discovery: true, discoveryNet: net, discoveryWaitMs: 2000, timeoutMs: 5000 },
    });
    cleanups.push(() => h.dispose());
    const t0 = Date.now();
    const devices = (await h.service.devices({ refresh: true })).filter((d) => d.driver === 'escl');
    // Bounded: the browse waits discoveryWaitMs, never longer than a few times it.
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(devices.find((d) => d.found === 'configured')).toMatchObject({ id: esclDeviceId(configured.url) });

    if (multicast) {
      const found = devices.find((d) => d.found === 'dns-sd');
      expect(found).toMatchObject({ id: esclDeviceId(announced.url), url: announced.url, model: 'Announced MFP' });
      const job = await h.service.startJob({ deviceId: found!.id, profileId: 'flatbed-300-gray', settings: { dpi: 75, pageSize: 'A5' } });
      expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 1 });
      expect(announced.requests.some((q) => q.method === 'POST')).toBe(true);
    } else {
      console.warn('multicast on loopback is not available here: checked the no-multicast behaviour instead');
      expect(devices.filter((d) => d.found === 'dns-sd')).toEqual([]);
      const job = await h.service.startJob({ deviceId: esclDeviceId(configured.url), profileId: 'flatbed-300-gray', settings: { dpi: 75, pageSize: 'A5' } });
      expect(await h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 1 });
    }
  });
});
