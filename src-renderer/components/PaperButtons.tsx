import { useTranslation } from 'react-i18next';
import { call } from '../api/client';
import { PrintInLanguage } from './PrintInLanguage';

/** The request's receipt (Alt+K prints it in the first language) or its refusal notice, in the applicant's language. */
export function PaperButtons({ requestId, kind, autoFocus = false }: { requestId: string; kind: 'receipt' | 'refusal'; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <PrintInLanguage
      paper={(language) => (kind === 'receipt' ? call('docs.receipt', { requestId, language }) : call('docs.refusalNotice', { requestId, language }))}
      label={(lang) => t(kind === 'receipt' ? 'papers.receiptIn' : 'papers.refusalIn', { lang })}
      testId={(l) => `${kind}-${l}`}
      doneTestId={`${kind}-done`}
      autoFocus={autoFocus}
      shortcut={kind === 'receipt' ? 'receipt' : undefined}
    />
  );
}
