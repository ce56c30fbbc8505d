/**
 * Built-in scan profiles. The host may replace them from configuration (`scan.profiles`); names
 * are i18n keys in src-renderer/i18n/<lang>/scan.json.
 */
import type { ScanProfile, ScanSettings } from './types.js';

/**
 * A 300 dpi profile named `profile.<id>`. Blank pages are skipped from the feeder (the empty
 * back of a one-sided sheet in a duplex batch), never on the flatbed, where the operator placed
 * the page on purpose.
 */
function profile(id: string, source: ScanSettings['source'], mode: ScanSettings['mode'], pageSize: ScanSettings['pageSize'] = 'A4'): ScanProfile {
  return { id, nameKey: `profile.${id}`, settings: { source, mode, dpi: 300, pageSize }, skipBlankPages: source === 'adf' };
}

export const DEFAULT_PROFILES: ScanProfile[] = [
  profile('document-300-gray', 'adf', 'gray'),
  profile('document-300-colour', 'adf', 'color'),
  profile('lineart-300', 'adf', 'lineart'),
  profile('id-card-colour', 'flatbed', 'color', 'ID1'),
  profile('flatbed-300-gray', 'flatbed', 'gray'),
];
