/**
 * The operator's shortcuts, one table: what each does, its keys, and whether it may fire while the
 * focus is in a field. Bindings go through react-hotkeys-hook, which listens by physical key
 * (event.code), so Alt+S is the same key on a Kazakh, Russian or Latin layout, and which ignores
 * keys typed into inputs unless a binding opts in. Only Alt+letter bindings opt in: Alt+letter
 * types nothing on the Windows counters' layouts, so no field loses a character to a shortcut.
 */
import { useHotkeys } from 'react-hotkeys-hook';

export const SHORTCUTS = {
  /** ? types a question mark in a field: there it is left alone, F1 works everywhere. */
  help: { keys: 'shift+slash', inFields: false, label: '?' },
  helpAnywhere: { keys: 'f1', inFields: true, label: 'F1' },
  newRequest: { keys: 'alt+n', inFields: true, label: 'Alt+N' },
  queue: { keys: 'alt+q', inFields: true, label: 'Alt+Q' },
  search: { keys: 'alt+f', inFields: true, label: 'Alt+F' },
  scan: { keys: 'alt+s', inFields: true, label: 'Alt+S' },
  rescanLast: { keys: 'alt+r', inFields: true, label: 'Alt+R' },
  nextDocument: { keys: 'alt+d', inFields: true, label: 'Alt+D' },
  viewPages: { keys: 'alt+v', inFields: true, label: 'Alt+V' },
  sign: { keys: 'alt+p', inFields: true, label: 'Alt+P' },
  receipt: { keys: 'alt+k', inFields: true, label: 'Alt+K' },
} as const;

export type ShortcutId = keyof typeof SHORTCUTS;

/** Keys inside the page viewer (listed in the help too). */
export const VIEWER_KEYS = ['next', 'prev', 'nextDoc', 'prevDoc', 'zoom', 'pan', 'rotate', 'moveLeft', 'moveRight', 'delete', 'close'] as const;

/** Binds one shortcut of the table while `enabled`; the browser's own meaning of the keys is suppressed. */
export function useShortcut(id: ShortcutId, action: () => void, enabled = true): void {
  const s = SHORTCUTS[id];
  useHotkeys(
    s.keys,
    (e) => {
      e.preventDefault();
      action();
    },
    { enabled, enableOnFormTags: s.inFields, preventDefault: true, description: id },
    [action, enabled],
  );
}

/** Marks a screen's search field for Alt+F (`data-search-field`). */
export const SEARCH_FIELD = { 'data-search-field': '' } as const;

/**
 * Alt+F: focus the search field of the screen on show (the service search, the work list's search),
 * its text selected so typing replaces it. A screen without one stays as it is: Alt+F never leaves
 * a screen (a request being entered would be left behind); Alt+N is the way to a new request.
 */
export function goToSearch(): void {
  const field = document.querySelector<HTMLInputElement>('[data-search-field]:not([disabled])');
  if (!field || field.closest('[hidden]')) return;
  field.focus();
  field.select();
}
