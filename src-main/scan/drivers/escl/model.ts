/**
 * eSCL (Mopria / AirScan) documents ↔ the scan service's model.
 *
 * - ScannerCapabilities → ScanCapabilities: Platen → flatbed, Adf/AdfSimplexInputCaps → adf,
 *   Adf/AdfDuplexInputCaps → adf-duplex; ColorMode RGB24 → colour, Grayscale8 → grey,
 *   BlackAndWhite1 → line art (line art is also offered on a grey-only scanner: the worker
 *   thresholds grey pages, as sane-airscan does); discrete resolutions or a range; the largest
 *   area from MaxWidth/MaxHeight (in 1/300 inch).
 * - ScannerStatus → the scanner's state and its feeder's (AdfState), which the driver turns into
 *   SANE's status names (JAMMED, NO_DOCS, COVER_OPEN, DEVICE_BUSY) for the shared fault mapping.
 * - ScanSettings (the job request) ← ScanSettings of the service.
 */
import { AppError } from '../../../contract/errors.js';
import { nearestDpi, pageSizesWithin, PAGE_SIZES_MM, STANDARD_DPI } from '../../capabilities.js';
import type { ColorMode, ScanCapabilities, ScanSettings, ScanSource } from '../../types.js';
import { at, child, children, int, parseEsclXml, text, type XmlValue } from './xml.js';

export type EsclColorMode = 'RGB24' | 'Grayscale8' | 'BlackAndWhite1';

export interface EsclSourceCaps {
  maxWidth: number;
  maxHeight: number;
  modes: EsclColorMode[];
  formats: string[];
  resolutions: number[];
}

export interface EsclCaps {
  makeAndModel: string;
  version: string;
  platen: EsclSourceCaps | null;
  adf: EsclSourceCaps | null;
  adfDuplex: EsclSourceCaps | null;
}

function sourceCaps(n: XmlValue | undefined): EsclSourceCaps | null {
  if (!n) return null;
  const modes = new Set<EsclColorMode>();
  const formats = new Set<string>();
  const res = new Set<number>();
  for (const prof of children(child(n, 'SettingProfiles'), 'SettingProfile')) {
    for (const m of children(child(prof, 'ColorModes'), 'ColorMode')) {
      const t = text(m);
      if (t === 'RGB24' || t === 'Grayscale8' || t === 'BlackAndWhite1') modes.add(t);
    }
    const df = child(prof, 'DocumentFormats');
    for (const f of [...children(df, 'DocumentFormat'), ...children(df, 'DocumentFormatExt')]) {
      const t = text(f);
      if (t) formats.add(t.toLowerCase());
    }
    const sr = child(prof, 'SupportedResolutions');
    for (const d of children(child(sr, 'DiscreteResolutions'), 'DiscreteResolution')) {
      const x = int(child(d, 'XResolution'));
      const y = int(child(d, 'YResolution'));
      if (x && y && x === y && x > 0 && x <= 4800) res.add(x);
    }
    const range = child(sr, 'ResolutionRange');
    if (range) {
      const min = int(at(range, 'XResolutionRange', 'Min')) ?? 0;
      const max = int(at(range, 'XResolutionRange', 'Max')) ?? 0;
      const step = int(at(range, 'XResolutionRange', 'Step')) ?? 1;
      for (const v of STANDARD_DPI) if (v >= min && v <= max && (step <= 1 || (v - min) % step === 0)) res.add(v);
    }
  }
  const maxWidth = int(child(n, 'MaxWidth')) ?? 0;
  const maxHeight = int(child(n, 'MaxHeight')) ?? 0;
  if (maxWidth <= 0 || maxHeight <= 0 || modes.size === 0) return null;
  return { maxWidth, maxHeight, modes: [...modes], formats: [...formats], resolutions: [...res].sort((a, b) => a - b) };
}

export function parseCapabilities(body: Buffer | string): EsclCaps {
  const doc = parseEsclXml(body, 'ScannerCapabilities');
  const root = child(doc, 'ScannerCapabilities');
  if (!root) throw new AppError('SCAN_ESCL_MALFORMED', { what: 'ScannerCapabilities' });
  const adf = child(root, 'Adf');
  const caps: EsclCaps = {
    makeAndModel: text(child(root, 'MakeAndModel')) ?? 'eSCL scanner',
    version: text(child(root, 'Version')) ?? '2.0',
    platen: sourceCaps(at(root, 'Platen', 'PlatenInputCaps')),
    adf: sourceCaps(child(adf, 'AdfSimplexInputCaps')),
    adfDuplex: sourceCaps(child(adf, 'AdfDuplexInputCaps')),
  };
  if (!caps.platen && !caps.adf) throw new AppError('SCAN_ESCL_MALFORMED', { what: 'ScannerCapabilities' }, { detail: 'no input source' });
  // A duplex feeder that only names the option reuses the simplex capabilities.
  if (!caps.adfDuplex && caps.adf && children(child(adf, 'AdfOptions'), 'AdfOption').some((o) => text(o) === 'Duplex')) caps.adfDuplex = caps.adf;
  return caps;
}

const MODE_OF: Record<EsclColorMode, ColorMode> = { RGB24: 'color', Grayscale8: 'gray', BlackAndWhite1: 'lineart' };

export function sourceOf(caps: EsclCaps, s: ScanSource): EsclSourceCaps | null {
  return s === 'flatbed' ? caps.platen : s === 'adf' ? caps.adf : caps.adfDuplex;
}

const mmOf = (threeHundredths: number) => Math.round((threeHundredths / 300) * 25.4 * 10) / 10;

export function toScanCapabilities(deviceId: string, caps: EsclCaps): ScanCapabilities {
  const srcs = (['flatbed', 'adf', 'adf-duplex'] as ScanSource[]).filter((s) => sourceOf(caps, s));
  const all = srcs.map((s) => sourceOf(caps, s)!);
  const modes = new Set<ColorMode>(all.flatMap((c) => c.modes.map((m) => MODE_OF[m])));
  if (modes.has('gray')) modes.add('lineart');
  const resolutions = [...new Set(all.flatMap((c) => c.resolutions))].sort((a, b) => a - b);
  const widthMm = Math.max(...all.map((c) => mmOf(c.maxWidth)));
  const heightMm = Math.max(...all.map((c) => mmOf(c.maxHeight)));
  return {
    deviceId,
    sources: srcs,
    modes: (['gray', 'color', 'lineart'] as ColorMode[]).filter((m) => modes.has(m)),
    resolutions: resolutions.length > 0 ? resolutions : [300],
    pageSizes: [...pageSizesWithin(widthMm, heightMm), 'max'],
    maxArea: { widthMm, heightMm },
  };
}

export interface JobPlan {
  inputSource: 'Platen' | 'Feeder';
  duplex: boolean;
  colorMode: EsclColorMode;
  /** Grey pages the worker turns into line art (the scanner has no BlackAndWhite1 we can use). */
  thresholdLocally: boolean;
  dpi: number;
  format: 'image/jpeg' | 'application/pdf' | 'image/png';
  /** Region in 1/300 inch. */
  width: number;
  height: number;
}

/** Chooses how to ask the scanner for `settings`; SCAN_SETTINGS_UNSUPPORTED when it cannot. */
export function planJob(caps: EsclCaps, settings: ScanSettings, want: 'auto' | 'jpeg' | 'pdf'): JobPlan {
  const src = sourceOf(caps, settings.source);
  if (!src) throw new AppError('SCAN_SETTINGS_UNSUPPORTED', { setting: 'source', value: settings.source });
  const has = (f: string) => src.formats.includes(f);
  let colorMode: EsclColorMode;
  let thresholdLocally = false;
  let format: JobPlan['format'] | null = null;
  if (settings.mode === 'color' && src.modes.includes('RGB24')) colorMode = 'RGB24';
  else if (settings.mode === 'gray' && src.modes.includes('Grayscale8')) colorMode = 'Grayscale8';
  else if (settings.mode === 'lineart' && src.modes.includes('BlackAndWhite1') && has('image/png') && want !== 'pdf') {
    // Lossless 1-bit pages when the scanner can send them.
    colorMode = 'BlackAndWhite1';
    format = 'image/png';
  } else if (settings.mode === 'lineart' && src.modes.includes('Grayscale8')) {
    colorMode = 'Grayscale8';
    thresholdLocally = true;
  } else throw new AppError('SCAN_SETTINGS_UNSUPPORTED', { setting: 'mode', value: settings.mode });
  if (!format) {
    if (want !== 'pdf' && has('image/jpeg')) format = 'image/jpeg';
    else if (want !== 'jpeg' && has('application/pdf')) format = 'application/pdf';
    else throw new AppError('SCAN_UNSUPPORTED_FORMAT');
  }
  const size = settings.pageSize === 'max' ? null : PAGE_SIZES_MM[settings.pageSize];
  const toUnits = (mm: number) => Math.round((mm / 25.4) * 300);
  return {
    inputSource: settings.source === 'flatbed' ? 'Platen' : 'Feeder',
    duplex: settings.source === 'adf-duplex',
    colorMode,
    thresholdLocally,
    dpi: nearestDpi(settings.dpi, src.resolutions),
    format,
    width: size ? Math.min(src.maxWidth, toUnits(size.widthMm)) : src.maxWidth,
    height: size ? Math.min(src.maxHeight, toUnits(size.heightMm)) : src.maxHeight,
  };
}

export function scanSettingsXml(p: JobPlan, version: string): string {
  const v = /^\d+\.\d+$/.test(version) ? version : '2.0';
  return `<?xml version="1.0" encoding="UTF-8"?>
<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">
  <pwg:Version>${v}</pwg:Version>
  <scan:Intent>Document</scan:Intent>
  <pwg:ScanRegions>
    <pwg:ScanRegion>
      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>
      <pwg:XOffset>0</pwg:XOffset>
      <pwg:YOffset>0</pwg:YOffset>
      <pwg:Width>${p.width}</pwg:Width>
      <pwg:Height>${p.height}</pwg:Height>
    </pwg:ScanRegion>
  </pwg:ScanRegions>
  <pwg:InputSource>${p.inputSource}</pwg:InputSource>
${p.inputSource === 'Feeder' ? `  <scan:Duplex>${p.duplex}</scan:Duplex>\n` : ''}  <scan:ColorMode>${p.colorMode}</scan:ColorMode>
  <scan:XResolution>${p.dpi}</scan:XResolution>
  <scan:YResolution>${p.dpi}</scan:YResolution>
  <pwg:DocumentFormat>${p.format}</pwg:DocumentFormat>
  <scan:DocumentFormatExt>${p.format}</scan:DocumentFormatExt>
</scan:ScanSettings>
`;
}

export interface EsclStatus {
  /** pwg:State: Idle, Processing, Testing, Stopped, Down. */
  state: string;
  /** scan:AdfState, e.g. ScannerAdfLoaded, ScannerAdfEmpty, ScannerAdfJam, ScannerAdfHatchOpen. */
  adfState: string | null;
  jobs: { uri: string; state: string; reasons: string[] }[];
}

export function parseStatus(body: Buffer | string): EsclStatus {
  const doc = parseEsclXml(body, 'ScannerStatus');
  const root = child(doc, 'ScannerStatus');
  const state = text(child(root, 'State'));
  if (!root || !state) throw new AppError('SCAN_ESCL_MALFORMED', { what: 'ScannerStatus' });
  return {
    state,
    adfState: text(child(root, 'AdfState')) ?? null,
    jobs: children(child(root, 'Jobs'), 'JobInfo').map((j) => ({
      uri: text(child(j, 'JobUri')) ?? '',
      state: text(child(j, 'JobState')) ?? '',
      reasons: children(child(j, 'JobStateReasons'), 'JobStateReason').map((r) => text(r) ?? ''),
    })),
  };
}

/** The feeder's state as a SANE status name, or null when it reports nothing wrong. */
export function adfFault(s: EsclStatus): 'JAMMED' | 'COVER_OPEN' | 'NO_DOCS' | null {
  const a = s.adfState ?? '';
  if (/Jam|Mispick/i.test(a)) return 'JAMMED';
  if (/HatchOpen|DoorOpen|CoverOpen/i.test(a)) return 'COVER_OPEN';
  if (/Empty/i.test(a)) return 'NO_DOCS';
  return null;
}
