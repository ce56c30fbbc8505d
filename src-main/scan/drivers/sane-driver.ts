/**
 * The SANE driver: node-sane (our libsane binding) behind the driver interface. Option names
 * and values are SANE's own (capabilities.ts maps them); statuses pass through unchanged.
 */
import type { SaneBinding, SaneDevice, SaneError } from 'node-sane';
import { capabilitiesFrom, optionPlan } from '../capabilities.js';
import { isVirtualDevice } from '../sane-config.js';
import type { RawOptionValue, ScanDevice, ScanSettings } from '../types.js';
import { DeviceStatusError, type DriverSession, type FrameParams, type OpenOptions, type ScanDriver } from './driver.js';

export class SaneDriver implements ScanDriver {
  readonly name = 'sane' as const;
  constructor(private readonly sane: SaneBinding) {}

  owns(deviceId: string): boolean {
    return !deviceId.startsWith('escl:');
  }

  async devices(): Promise<ScanDevice[]> {
    const list = await this.sane.getDevices();
    return list.map((d): ScanDevice => ({ id: d.name, vendor: d.vendor, model: d.model, type: d.type, virtual: isVirtualDevice(d), driver: 'sane' }));
  }

  async capabilities(deviceId: string) {
    const dev = await this.sane.open(deviceId);
    try {
      return capabilitiesFrom(deviceId, dev.getOptionDescriptors());
    } finally {
      await dev.close();
    }
  }

  async open(
    deviceId: string,
    settings: ScanSettings,
    o: OpenOptions,
  ): Promise<DriverSession> {
    let dev: SaneDevice;
    try {
      dev = await this.sane.open(deviceId);
    } catch (e) {
      throw asStatusError(e, 'open');
    }
    let restore: [string, RawOptionValue][];
    try {
      await applySettings(dev, settings);
      // Raw options (diagnostics, tests) are this job's only: a backend may keep option values
      // from one open to the next (SANE's test backend keeps them for the process), so the
      // values they replace are put back when the job's session closes.
      restore = await currentValues(dev, [...Object.keys(o.deviceOptions), ...o.optionSchedule.flatMap((e) => Object.keys(e.options))]);
      for (const [name, value] of Object.entries(o.deviceOptions)) await dev.setOption(name, value);
    } catch (e) {
      await dev.close().catch(() => {});
      throw e;
    }
    return new SaneSession(dev, o.optionSchedule, restore);
  }

  async close(): Promise<void> {
    await this.sane.exit();
  }
}

class SaneSession implements DriverSession {
  constructor(
    private readonly dev: SaneDevice,
    private readonly schedule: { beforeStart: number; options: Record<string, RawOptionValue> }[],
    /** The values the job's raw options replaced, put back at close (last set, first restored). */
    private readonly restore: [string, RawOptionValue][],
  ) {}

  async start(startNo: number): Promise<FrameParams> {
    for (const entry of this.schedule) {
      if (entry.beforeStart === startNo) {
        for (const [k, v] of Object.entries(entry.options)) await this.dev.setOption(k, v);
      }
    }
    try {
      await this.dev.start();
    } catch (e) {
      throw asStatusError(e, 'start');
    }
    const p = await this.dev.getParameters();
    if (!(p.format === 'GRAY' || p.format === 'RGB') || !(p.depth === 1 || p.depth === 8) || (p.depth === 1 && p.format !== 'GRAY')) {
      await this.dev.cancel();
      throw new UnsupportedFrame(`${p.format}/${p.depth}`);
    }
    return { format: p.format, depth: p.depth, pixelsPerLine: p.pixelsPerLine, lines: p.lines, bytesPerLine: p.bytesPerLine };
  }

  read(buf: Uint8Array) {
    return this.dev.read(buf, { maxWaitMs: 250 });
  }

  async cancel(): Promise<void> {
    if (this.dev.isOpen) await this.dev.cancel().catch(() => {});
  }

  async close(): Promise<void> {
    await this.dev.cancel().catch(() => {});
    // An option another one switched off is inactive by now and refuses its value: nothing to put back.
    for (const [name, value] of [...this.restore].reverse()) await this.dev.setOption(name, value).catch(() => {});
    await this.dev.close().catch(() => {});
  }
}

/** The current values of these options, each once; an option without one (inactive, a button) is left out. */
async function currentValues(dev: SaneDevice, names: string[]): Promise<[string, RawOptionValue][]> {
  const out: [string, RawOptionValue][] = [];
  for (const name of new Set(names)) {
    const value = await dev.getOption(name).catch(() => null);
    if (value !== null) out.push([name, value]);
  }
  return out;
}

/** The device sends a frame format the pipeline does not take (three-pass, 16-bit...). */
export class UnsupportedFrame extends Error {}

function asStatusError(e: unknown, stage: string): unknown {
  const s = (e as Partial<SaneError> | null)?.status;
  return typeof s === 'string' ? Object.assign(new DeviceStatusError(s, e instanceof Error ? e.message : String(e)), { stage }) : e;
}

/** Applies the settings, re-reading descriptors whenever the backend says options changed. */
export async function applySettings(dev: SaneDevice, settings: ScanSettings): Promise<void> {
  const done = new Set<string>();
  let plan = optionPlan(dev.getOptionDescriptors(), settings);
  for (let i = 0; i < plan.length; i++) {
    const [name, value] = plan[i]!;
    if (done.has(name)) continue;
    const r = await dev.setOption(name, value);
    done.add(name);
    if (r.info.reloadOptions) {
      plan = optionPlan(dev.getOptionDescriptors(), settings);
      i = -1;
    }
  }
}
