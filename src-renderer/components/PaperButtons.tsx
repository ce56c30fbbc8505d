import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../src-main/contract/model';
import { call } from '../api/client';
import { printPaper } from '../api/print';
import { useShortcut } from '../keys/shortcuts';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

const LAST = 'qabyldau.paperLanguage';
const lastLanguage = (): 'kk' | 'ru' => (localStorage.getItem(LAST) === 'ru' ? 'ru' : 'kk');

/**
 * One action makes a paper in the applicant's language (Kazakh or Russian) and prints it: one
 * button per language, the one used last at this workstation first and focusable at once (Enter
 * prints; Alt+K for the receipt). Making and opening the PDF never blocks the screen.
 */
export function PaperButtons({ requestId, kind, autoFocus = false }: { requestId: string; kind: 'receipt' | 'refusal'; autoFocus?: boolean }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<'printed' | 'opened' | null>(null);
  const [first] = useState(lastLanguage);
  const make = (language: Language) => {
    setDone(null);
    localStorage.setItem(LAST, language);
    return run(async () => {
      const pdf = kind === 'receipt' ? await call('docs.receipt', { requestId, language }) : await call('docs.refusalNotice', { requestId, language });
      setDone(await printPaper(pdf));
    });
  };
  useShortcut('receipt', () => void make(first), kind === 'receipt' && !busy);
  const order = first === 'kk' ? (['kk', 'ru'] as const) : (['ru', 'kk'] as const);
  return (
    <div className="papers">
      <div className="row" role="group" aria-label={t('papers.applicantLanguage')}>
        <span className="muted">{t('papers.applicantLanguage')}:</span>
        {order.map((l, i) => (
          <button
            key={l}
            type="button"
            className={i === 0 ? 'primary' : ''}
            disabled={busy}
            autoFocus={autoFocus && i === 0}
            aria-keyshortcuts={kind === 'receipt' && i === 0 ? 'Alt+K' : undefined}
            onClick={() => void make(l)}
            data-testid={`${kind}-${l}`}
          >
            {t(kind === 'receipt' ? 'papers.receiptIn' : 'papers.refusalIn', { lang: t(`lang.${l}`) })}
          </button>
        ))}
        {busy ? <span className="muted" role="status">{t('common.loading')}</span> : null}
        {done ? (
          <span className="ok" role="status" data-testid={`${kind}-done`}>
            {t(done === 'printed' ? 'papers.printed' : 'papers.opened')}
          </span>
        ) : null}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}
