// Capabilities and option plans from descriptor sets shaped like real backends' (data, not mocks).
import { describe, expect, it } from 'vitest';
import type { SaneOptionDescriptor } from 'node-sane';
import { capabilitiesFrom, optionPlan } from '../../../src-main/scan/capabilities.js';

function opt(name: string, type: SaneOptionDescriptor['type'], constraint: SaneOptionDescriptor['constraint'], unit: SaneOptionDescriptor['unit'] = 'NONE'): SaneOptionDescriptor {
  return {
    index: 0, name, title: name, description: '', type, unit, size: 4, count: 1,
    cap: { softSelect: true, hardSelect: false, softDetect: true, emulated: false, automatic: false, inactive: false, advanced: false },
    isActive: true, isSettable: true, constraint,
  };
}

const geometry = [
  opt('tl-x', 'FIXED', { type: 'RANGE', min: 0, max: 215.9, quant: 0 }, 'MM'),
  opt('tl-y', 'FIXED', { type: 'RANGE', min: 0, max: 297.2, quant: 0 }, 'MM'),
  opt('br-x', 'FIXED', { type: 'RANGE', min: 0, max: 215.9, quant: 0 }, 'MM'),
  opt('br-y', 'FIXED', { type: 'RANGE', min: 0, max: 297.2, quant: 0 }, 'MM'),
];

// Shaped like an office MFP (epson2 / hpaio style).
const mfp = [
  opt('mode', 'STRING', { type: 'STRING_LIST', values: ['Lineart', 'Gray', 'Color'] }),
  opt('resolution', 'INT', { type: 'WORD_LIST', values: [75, 150, 300, 600, 1200] }, 'DPI'),
  opt('source', 'STRING', { type: 'STRING_LIST', values: ['Flatbed', 'ADF', 'ADF Duplex'] }),
  ...geometry,
];

// Shaped like the SANE test backend: no line-art mode, but gray at depth 1.
const testLike = [
  opt('mode', 'STRING', { type: 'STRING_LIST', values: ['Gray', 'Color'] }),
  opt('depth', 'INT', { type: 'WORD_LIST', values: [1, 8, 16] }),
  opt('resolution', 'FIXED', { type: 'RANGE', min: 1, max: 1200, quant: 1 }, 'DPI'),
  opt('source', 'STRING', { type: 'STRING_LIST', values: ['Flatbed', 'Automatic Document Feeder'] }),
  ...geometry,
];

describe('capabilities', () => {
  it('reads sources, modes, resolutions and page sizes from an MFP', () => {
    expect(capabilitiesFrom('epson2:net:1', mfp)).toEqual({
      deviceId: 'epson2:net:1',
      sources: ['flatbed', 'adf', 'adf-duplex'],
      modes: ['gray', 'color', 'lineart'],
      resolutions: [75, 150, 300, 600, 1200],
      pageSizes: ['A4', 'A5', 'Letter', 'ID1', 'max'],
      maxArea: { widthMm: 215.9, heightMm: 297.2 },
    });
  });

  it('offers line art through gray at 1 bit when there is no line-art mode', () => {
    expect(capabilitiesFrom('test:0', testLike).modes).toEqual(['gray', 'color', 'lineart']);
    expect(optionPlan(testLike, { source: 'adf', mode: 'lineart', dpi: 300, pageSize: 'A4' })).toEqual([
      ['source', 'Automatic Document Feeder'],
      ['mode', 'Gray'],
      ['depth', 1],
      ['resolution', 300],
      ['tl-x', 0],
      ['tl-y', 0],
      ['br-x', 210],
      ['br-y', 297],
    ]);
  });

  it("maps settings to the device's own words and its nearest resolution", () => {
    expect(optionPlan(mfp, { source: 'adf-duplex', mode: 'gray', dpi: 200, pageSize: 'ID1' })).toEqual([
      ['source', 'ADF Duplex'],
      ['mode', 'Gray'],
      ['resolution', 150],
      ['tl-x', 0],
      ['tl-y', 0],
      ['br-x', 85.6],
      ['br-y', 54],
    ]);
  });

  it('refuses what the device cannot do', () => {
    const flatbedOnly = mfp.filter((d) => d.name !== 'source');
    expect(() => optionPlan(flatbedOnly, { source: 'adf', mode: 'gray', dpi: 300, pageSize: 'A4' })).toThrow(/SCAN_SETTINGS_UNSUPPORTED/);
    const grayOnly = [opt('mode', 'STRING', { type: 'STRING_LIST', values: ['Gray'] }), ...geometry];
    expect(() => optionPlan(grayOnly, { source: 'flatbed', mode: 'color', dpi: 300, pageSize: 'A4' })).toThrow(/SCAN_SETTINGS_UNSUPPORTED/);
  });
});
