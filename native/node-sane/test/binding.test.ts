import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { load, statusName, STATUS_NAMES, type SaneBinding, type SaneDevice } from 'node-sane';
import { useTestBackend } from './test-backend.js';

useTestBackend();
const loaded = load();
let sane: SaneBinding;

async function readFrame(dev: SaneDevice, buf = new Uint8Array(256 * 1024)): Promise<{ bytes: number; status: string }> {
  let bytes = 0;
  for (;;) {
    const r = await dev.read(buf);
    bytes += r.bytes;
    if (r.status !== 'GOOD') return { bytes, status: r.status };
  }
}

beforeAll(async () => {
  if (!loaded.available) throw new Error(`node-sane is not built here: ${loaded.reason} ${loaded.detail}`);
  sane = loaded.binding;
  await sane.init();
});
afterAll(async () => {
  await sane.exit();
});

describe('node-sane against the SANE test backend', () => {
  it('initialises and lists the test devices', async () => {
    const v = await sane.init();
    expect(v.version).toMatch(/^1\.\d+\.\d+$/);
    const devices = await sane.getDevices();
    expect(devices.map((d) => d.name)).toEqual(['test:0', 'test:1']);
    expect(devices[0]).toMatchObject({ vendor: 'Noname', type: 'virtual device' });
  });

  it('describes options with range, word-list and string-list constraints and reports SANE_INFO flags', async () => {
    const dev = await sane.open('test:0');
    try {
      const byName = new Map(dev.getOptionDescriptors().map((d) => [d.name, d]));
      expect(byName.get('resolution')).toMatchObject({ type: 'FIXED', unit: 'DPI', constraint: { type: 'RANGE', min: 1, max: 1200 } });
      expect(byName.get('depth')).toMatchObject({ type: 'INT', constraint: { type: 'WORD_LIST', values: [1, 8, 16] } });
      expect(byName.get('mode')?.constraint).toEqual({ type: 'STRING_LIST', values: ['Gray', 'Color'] });
      expect(byName.get('source')?.constraint).toEqual({ type: 'STRING_LIST', values: ['Flatbed', 'Automatic Document Feeder'] });
      expect(byName.get('br-x')).toMatchObject({ unit: 'MM', constraint: { type: 'RANGE', max: 300 } });

      // 300.4 dpi is rounded by the backend's quantisation: INEXACT, with the value it used.
      const res = await dev.setOption('resolution', 300.4);
      expect(res.info).toMatchObject({ inexact: true, reloadParams: true });
      expect(res.value).toBe(300);
      expect(await dev.getOption('resolution')).toBe(300);
      // Changing the mode changes other options' activity: RELOAD_OPTIONS.
      const mode = await dev.setOption('mode', 'Color');
      expect(mode.info.reloadOptions).toBe(true);
      expect((await dev.getParameters()).format).toBe('RGB');

      // Test options: an int array and an int word list.
      await dev.setOption('enable-test-options', true);
      const after = new Map(dev.getOptionDescriptors().map((d) => [d.name, d]));
      expect(after.get('int-constraint-array')?.count).toBeGreaterThan(1);
      expect(after.get('int-constraint-word-list')?.constraint).toMatchObject({ type: 'WORD_LIST' });
      expect(after.get('int-constraint-word-list')?.isActive).toBe(true);
      await expect(dev.setOption('no-such-option', 1)).rejects.toThrow(/no option named/);
    } finally {
      await dev.close();
    }
  });

  it('scans a flatbed frame whose size matches the parameters', async () => {
    const dev = await sane.open('test:0');
    try {
      await dev.setOption('resolution', 100);
      await dev.setOption('br-x', 50);
      await dev.setOption('br-y', 60);
      await dev.start();
      const p = await dev.getParameters();
      const frame = await readFrame(dev);
      expect(frame.status).toBe('EOF');
      expect(frame.bytes).toBe(p.bytesPerLine * p.lines);
      expect(p.pixelsPerLine).toBe(Math.floor((100 * 50) / 25.4));
      await dev.cancel();
    } finally {
      await dev.close();
    }
  });

  it('feeds 10 sheets from the ADF, then start() rejects with NO_DOCS', async () => {
    const dev = await sane.open('test:0');
    try {
      await dev.setOption('source', 'Automatic Document Feeder');
      await dev.setOption('br-x', 20);
      await dev.setOption('br-y', 20);
      let pages = 0;
      for (;;) {
        try {
          await dev.start();
        } catch (e) {
          expect((e as { status: string }).status).toBe('NO_DOCS');
          expect((e as { code: string }).code).toBe('SANE_STATUS_NO_DOCS');
          break;
        }
        expect((await readFrame(dev)).status).toBe('EOF');
        pages++;
      }
      expect(pages).toBe(10);
      await dev.cancel();
    } finally {
      await dev.close();
    }
  });

  it('returns device faults from read() as a status, not a rejection', async () => {
    const dev = await sane.open('test:0');
    try {
      await dev.setOption('read-return-value', 'SANE_STATUS_JAMMED');
      await dev.start();
      const r = await dev.read(new Uint8Array(4096));
      expect(r).toEqual({ bytes: 0, status: 'JAMMED' });
      await dev.cancel();
    } finally {
      // The test backend keeps option values across open/close: restore the default.
      await dev.setOption('read-return-value', 'Default');
      await dev.close();
    }
  });

  it('reads off the JavaScript thread and cancels a slow frame mid-way', async () => {
    const dev = await sane.open('test:0');
    try {
      await dev.setOption('resolution', 300);
      await dev.setOption('br-x', 200);
      await dev.setOption('br-y', 200);
      await dev.setOption('read-delay', true);
      await dev.setOption('read-delay-duration', 50_000);
      await dev.start();
      const p = await dev.getParameters();
      const total = p.bytesPerLine * p.lines;

      // The event loop keeps ticking while a read waits on the driver: a 400 ms read into a
      // buffer too big to fill lets a 10 ms timer fire many times (it would not fire at all if
      // the read blocked the JS thread).
      const big = new Uint8Array(64 << 20);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const t0 = Date.now();
      const first = await dev.read(big, { maxWaitMs: 400 });
      const elapsed = Date.now() - t0;
      clearInterval(timer);
      expect(first.status).toBe('GOOD');
      expect(first.bytes).toBeGreaterThan(0);
      expect(first.bytes).toBeLessThan(total);
      expect(elapsed).toBeGreaterThanOrEqual(400);
      expect(ticks).toBeGreaterThanOrEqual(10);

      // Cancel while a read is in flight: that read resolves CANCELLED, mid-frame.
      const buf = new Uint8Array(1 << 20);
      const cancelled = dev.read(buf, { maxWaitMs: 5000 });
      // Calls that would take SANE's lock on the JS thread refuse instead of waiting behind the read.
      expect(() => dev.getOptionDescriptors()).toThrow(/busy/);
      await dev.cancel();
      const r = await cancelled;
      expect(r.status).toBe('CANCELLED');
      expect(first.bytes + r.bytes).toBeLessThan(total);

      // The device is usable again after a cancel.
      await dev.setOption('read-delay', false);
      await dev.setOption('resolution', 50);
      await dev.start();
      expect((await readFrame(dev)).status).toBe('EOF');
      await dev.cancel();
    } finally {
      await dev.close();
    }
  });

  it('maps every SANE status code to a name and a message', () => {
    expect(STATUS_NAMES.slice(0, 12)).toEqual([
      'GOOD', 'UNSUPPORTED', 'CANCELLED', 'DEVICE_BUSY', 'INVAL', 'EOF', 'JAMMED', 'NO_DOCS',
      'COVER_OPEN', 'IO_ERROR', 'NO_MEM', 'ACCESS_DENIED',
    ]);
    for (let code = 0; code < 12; code++) {
      const s = sane.strstatus(code);
      expect(s.name).toBe(statusName(code));
      expect(s.message.length).toBeGreaterThan(3);
      expect(sane.STATUS[s.name]).toBe(code);
    }
    expect(sane.strstatus(7).message).toMatch(/out of documents/i);
  });

  it('rejects opening a device that does not exist with the SANE status', async () => {
    await expect(sane.open('test:7')).rejects.toMatchObject({ status: 'INVAL', code: 'SANE_STATUS_INVAL' });
  });
});

function withoutRequireBuild(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_SANE_REQUIRE_BUILD;
  return env;
}

describe('node-sane is optional', () => {
  it('the loader reports "not built" instead of throwing when the addon is missing', () => {
    const r = load({ binaryPath: '/nonexistent/node_sane.node' });
    expect(r.available).toBe(false);
    if (!r.available) {
      expect(r.reason).toBe('not-built');
      expect(r.detail).toMatch(/libsane-dev/);
    }
  });

  it('the install step skips the build, and succeeds, when libsane headers are missing', () => {
    const script = join(import.meta.dirname, '..', 'scripts', 'install.cjs');
    const r = spawnSync(process.execPath, [script], {
      // CI exports NODE_SANE_REQUIRE_BUILD=1 for the real install; this case is the user's default.
      env: { ...withoutRequireBuild(), NODE_SANE_INCLUDE_DIRS: '/nonexistent-include' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/skipping the native build: libsane headers not found/);
  });

  it('with NODE_SANE_REQUIRE_BUILD=1 (CI) the same missing headers fail the install', () => {
    const script = join(import.meta.dirname, '..', 'scripts', 'install.cjs');
    const r = spawnSync(process.execPath, [script], {
      env: { ...withoutRequireBuild(), NODE_SANE_REQUIRE_BUILD: '1', NODE_SANE_INCLUDE_DIRS: '/nonexistent-include' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
  });
});
