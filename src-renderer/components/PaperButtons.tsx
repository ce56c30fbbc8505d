import { useTranslation } from 'react-i18next';
import type { ApplicantLanguage } from '../../src-main/contract/model';
import { call } from '../api/client';
import { PrintInLanguage } from './PrintInLanguage';

/**
 * The request's receipt (Alt+K prints it in the first language) or its refusal notice, in the
 * applicant's language set on the request (first); printing in the other records that one.
 */
export function PaperButtons(props: { requestId: string; language: ApplicantLanguage; kind: 'receipt' | 'refusal'; autoFocus?: boolean }) {
  const { requestId, kind, autoFocus = false } = props;
  const { t } = useTranslation();
  return (
    <PrintInLanguage
      paper={(language) => (kind === 'receipt' ? call('docs.receipt', { requestId, language }) : call('docs.refusalNotice', { requestId, language }))}
      label={(lang) => t(kind === 'receipt' ? 'papers.receiptIn' : 'papers.refusalIn', { lang })}
      testId={(l) => `${kind}-${l}`}
      doneTestId={`${kind}-done`}
      autoFocus={autoFocus}
      shortcut={kind === 'receipt' ? 'receipt' : undefined}
      first={props.language}
      onOtherLanguage={(language) => call('request.setApplicantLanguage', { requestId, language })}
    />
  );
}
