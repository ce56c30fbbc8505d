import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SHORTCUTS, VIEWER_KEYS, type ShortcutId } from './shortcuts';

/** The list of shortcuts, opened by ? or F1, closed by Esc; focus returns where it was. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('keys');
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    ref.current?.showModal();
    return () => back?.focus();
  }, []);
  return (
    <dialog ref={ref} className="help-dialog" aria-labelledby="help-title" data-testid="shortcut-help" onClose={onClose}>
      <h2 id="help-title">{t('title')}</h2>
      <p className="muted">{t('fieldsNote')}</p>
      <dl className="keys">
        {(Object.keys(SHORTCUTS) as ShortcutId[]).map((id) => (
          <div key={id} className="key-row">
            <dt>
              <kbd>{SHORTCUTS[id].label}</kbd>
            </dt>
            <dd>{t(`action.${id}`)}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('viewerTitle')}</h3>
      <dl className="keys">
        {VIEWER_KEYS.map((k) => (
          <div key={k} className="key-row">
            <dt>
              <kbd>{t(`viewerKey.${k}`)}</kbd>
            </dt>
            <dd>{t(`viewer.${k}`)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" className="primary" autoFocus data-testid="help-close">
          {t('close')}
        </button>
      </form>
    </dialog>
  );
}
