/**
 * Built-in scan profiles. The host may replace them from configuration (`scan.profiles`); names
 * are i18n keys in src-renderer/i18n/<lang>/scan.json.
 */
import type { ScanProfile } from './types.js';

export const DEFAULT_PROFILES: ScanProfile[] = [
  {
    id: 'document-300-gray',
    nameKey: 'profile.document-300-gray',
    settings: { source: 'adf', mode: 'gray', dpi: 300, pageSize: 'A4' },
    skipBlankPages: true,
  },
  {
    id: 'document-300-colour',
    nameKey: 'profile.document-300-colour',
    settings: { source: 'adf', mode: 'color', dpi: 300, pageSize: 'A4' },
    skipBlankPages: true,
  },
  {
    id: 'lineart-300',
    nameKey: 'profile.lineart-300',
    settings: { source: 'adf', mode: 'lineart', dpi: 300, pageSize: 'A4' },
    skipBlankPages: true,
  },
  {
    id: 'id-card-colour',
    nameKey: 'profile.id-card-colour',
    settings: { source: 'flatbed', mode: 'color', dpi: 300, pageSize: 'ID1' },
    skipBlankPages: false,
  },
  {
    id: 'flatbed-300-gray',
    nameKey: 'profile.flatbed-300-gray',
    settings: { source: 'flatbed', mode: 'gray', dpi: 300, pageSize: 'A4' },
    skipBlankPages: false,
  },
];
