import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../src-main/contract/model';
import { call } from '../api/client';
import { printPaper } from '../api/print';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

/** Buttons that make a paper in the applicant's language (Kazakh or Russian) and print it. */
export function PaperButtons({ requestId, kind }: { requestId: string; kind: 'receipt' | 'refusal' }) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<'printed' | 'opened' | null>(null);
  const make = (language: Language) => {
    setDone(null);
    return run(async () => {
      const pdf = kind === 'receipt' ? await call('docs.receipt', { requestId, language }) : await call('docs.refusalNotice', { requestId, language });
      setDone(await printPaper(pdf));
    });
  };
  return (
    <div className="papers">
      <div className="row">
        <span className="muted">{t('papers.applicantLanguage')}:</span>
        {(['kk', 'ru'] as const).map((l) => (
          <button key={l} type="button" disabled={busy} onClick={() => void make(l)} data-testid={`${kind}-${l}`}>
            {t(kind === 'receipt' ? 'papers.receiptIn' : 'papers.refusalIn', { lang: t(`lang.${l}`) })}
          </button>
        ))}
        {done ? <span className="ok" data-testid={`${kind}-done`}>{t(done === 'printed' ? 'papers.printed' : 'papers.opened')}</span> : null}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}
