/**
 * From SANE option descriptors to the service's capabilities, and from the service's settings
 * (source, mode, dpi, page size) back to SANE option values. Backends name their choices
 * differently ("Gray"/"Grayscale"/"Halftone", "ADF"/"Automatic Document Feeder"/"ADF Duplex"),
 * so the matching is by pattern over the well-known option names (saneopts.h).
 */
import type { SaneOptionDescriptor } from 'node-sane';
import { AppError } from '../contract/errors.js';
import type { ColorMode, PageSizeId, RawOptionValue, ScanCapabilities, ScanSettings, ScanSource } from './types.js';

export const PAGE_SIZES_MM: Record<Exclude<PageSizeId, 'max'>, { widthMm: number; heightMm: number }> = {
  A4: { widthMm: 210, heightMm: 297 },
  A5: { widthMm: 148, heightMm: 210 },
  A3: { widthMm: 297, heightMm: 420 },
  Letter: { widthMm: 215.9, heightMm: 279.4 },
  Legal: { widthMm: 215.9, heightMm: 355.6 },
  // ISO/IEC 7810 ID-1: identity cards, bank cards.
  ID1: { widthMm: 85.6, heightMm: 54 },
};

export const STANDARD_DPI = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

const SOURCE_PATTERNS: Record<ScanSource, (s: string) => boolean> = {
  flatbed: (s) => /flatbed|platen|normal/i.test(s),
  adf: (s) => /(adf|feeder|automatic document)/i.test(s) && !/duplex|back|both/i.test(s),
  'adf-duplex': (s) => /duplex|both/i.test(s),
};

const MODE_PATTERNS: Record<ColorMode, (s: string) => boolean> = {
  gray: (s) => /gr[ae]y/i.test(s),
  color: (s) => /colou?r/i.test(s),
  lineart: (s) => /line ?art|binary|black ?(&|and)? ?white|^bw$|halftone/i.test(s),
};

function strings(d: SaneOptionDescriptor | undefined): string[] {
  return d && d.constraint?.type === 'STRING_LIST' ? d.constraint.values : [];
}

function numbers(d: SaneOptionDescriptor | undefined): number[] {
  if (!d || !d.constraint) return [];
  if (d.constraint.type === 'WORD_LIST') return d.constraint.values;
  if (d.constraint.type === 'RANGE') {
    const { min, max, quant } = d.constraint;
    return STANDARD_DPI.filter((v) => v >= min && v <= max && (quant <= 0 || Math.abs((v - min) / quant - Math.round((v - min) / quant)) < 1e-6));
  }
  return [];
}

function active(ds: SaneOptionDescriptor[]): Map<string, SaneOptionDescriptor> {
  return new Map(ds.filter((d) => d.name && d.isActive && d.type !== 'GROUP').map((d) => [d.name, d]));
}

function rangeMax(d: SaneOptionDescriptor | undefined): number | null {
  return d?.constraint?.type === 'RANGE' ? d.constraint.max : null;
}

export function capabilitiesFrom(deviceId: string, descriptors: SaneOptionDescriptor[]): ScanCapabilities {
  const o = active(descriptors);
  const sourceValues = strings(o.get('source'));
  const sources = (Object.keys(SOURCE_PATTERNS) as ScanSource[]).filter((s) => sourceValues.some(SOURCE_PATTERNS[s]));
  if (sources.length === 0) sources.push('flatbed'); // no source option: a plain flatbed

  const modeValues = strings(o.get('mode'));
  const modes = (Object.keys(MODE_PATTERNS) as ColorMode[]).filter((m) => modeValues.some(MODE_PATTERNS[m]));
  const depths = numbers(o.get('depth'));
  if (!modes.includes('lineart') && modes.includes('gray') && depths.includes(1)) modes.push('lineart');
  if (modes.length === 0) modes.push('gray');

  const dpis = numbers(o.get('resolution'));
  const widthMm = rangeMax(o.get('br-x')) ?? 210;
  const heightMm = rangeMax(o.get('br-y')) ?? 297;
  const pageSizes = pageSizesWithin(widthMm, heightMm);
  return {
    deviceId,
    sources,
    modes: (['gray', 'color', 'lineart'] as ColorMode[]).filter((m) => modes.includes(m)),
    resolutions: dpis.length > 0 ? dpis : [300],
    pageSizes: [...pageSizes, 'max'],
    maxArea: { widthMm, heightMm },
  };
}

/** The standard page sizes that fit in an area (every driver's capabilities use it). */
export function pageSizesWithin(widthMm: number, heightMm: number): Exclude<PageSizeId, 'max'>[] {
  return (Object.keys(PAGE_SIZES_MM) as Exclude<PageSizeId, 'max'>[]).filter(
    (p) => PAGE_SIZES_MM[p].widthMm <= widthMm + 0.5 && PAGE_SIZES_MM[p].heightMm <= heightMm + 0.5,
  );
}

/** Picks the supported resolution closest to the wanted one (ties go to the higher). */
export function nearestDpi(wanted: number, available: number[], d?: SaneOptionDescriptor): number {
  if (d?.constraint?.type === 'RANGE') {
    const { min, max } = d.constraint;
    return Math.min(max, Math.max(min, wanted));
  }
  if (available.length === 0) return wanted;
  return available.reduce((best, v) => (Math.abs(v - wanted) < Math.abs(best - wanted) || (Math.abs(v - wanted) === Math.abs(best - wanted) && v > best) ? v : best));
}

/**
 * The ordered list of option assignments that realise `settings` on a device with these
 * descriptors. Mode and source go first (they change other options' ranges), geometry last.
 * Throws SCAN_SETTINGS_UNSUPPORTED when the device cannot do what is asked.
 */
export function optionPlan(descriptors: SaneOptionDescriptor[], settings: ScanSettings): [string, RawOptionValue][] {
  const o = active(descriptors);
  const caps = capabilitiesFrom('', descriptors);
  const plan: [string, RawOptionValue][] = [];

  const sourceOpt = o.get('source');
  if (sourceOpt) {
    const value = strings(sourceOpt).find(SOURCE_PATTERNS[settings.source]);
    if (!value) throw new AppError('SCAN_SETTINGS_UNSUPPORTED', { setting: 'source', value: settings.source });
    plan.push(['source', value]);
  } else if (settings.source !== 'flatbed') {
    throw new AppError('SCAN_SETTINGS_UNSUPPORTED', { setting: 'source', value: settings.source });
  }

  const modeOpt = o.get('mode');
  const modeValues = strings(modeOpt);
  const direct = modeValues.find(MODE_PATTERNS[settings.mode]);
  if (direct) {
    plan.push(['mode', direct]);
    if (o.has('depth') && settings.mode !== 'lineart' && numbers(o.get('depth')).includes(8)) plan.push(['depth', 8]);
  } else if (settings.mode === 'lineart' && caps.modes.includes('lineart')) {
    // No line-art mode, but gray at 1 bit per pixel (the test backend; some sheet-feeders).
    const gray = modeValues.find(MODE_PATTERNS.gray);
    if (gray) plan.push(['mode', gray]);
    plan.push(['depth', 1]);
  } else if (modeOpt || settings.mode !== 'gray') {
    throw new AppError('SCAN_SETTINGS_UNSUPPORTED', { setting: 'mode', value: settings.mode });
  }

  const resOpt = o.get('resolution');
  if (resOpt) plan.push(['resolution', nearestDpi(settings.dpi, caps.resolutions, resOpt)]);

  const size =
    settings.pageSize === 'max'
      ? caps.maxArea
      : { widthMm: Math.min(PAGE_SIZES_MM[settings.pageSize].widthMm, caps.maxArea.widthMm), heightMm: Math.min(PAGE_SIZES_MM[settings.pageSize].heightMm, caps.maxArea.heightMm) };
  // Sheet-fed backends (fujitsu, canon_dr, ...) also want the paper size.
  if (o.has('page-width')) plan.push(['page-width', size.widthMm]);
  if (o.has('page-height')) plan.push(['page-height', size.heightMm]);
  if (o.has('tl-x')) plan.push(['tl-x', 0]);
  if (o.has('tl-y')) plan.push(['tl-y', 0]);
  if (o.has('br-x')) plan.push(['br-x', size.widthMm]);
  if (o.has('br-y')) plan.push(['br-y', size.heightMm]);
  return plan;
}
