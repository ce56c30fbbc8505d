import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';
import { printPaper } from '../api/print';
import { SHORTCUTS, useShortcut } from '../keys/shortcuts';
import { ErrorBox } from './ErrorBox';
import { useAction } from './useAction';

type PaperLanguage = 'kk' | 'ru';
type PdfFile = OpOutput<'docs.receipt'>;

const LAST = 'qabyldau.paperLanguage';
const lastLanguage = (): PaperLanguage => (localStorage.getItem(LAST) === 'ru' ? 'ru' : 'kk');

/**
 * One action makes a paper in the applicant's language (Kazakh or Russian) and prints it: one
 * button per language, the applicant's (set on the request) or else the one used last at this
 * workstation first (primary, and focusable at once where the screen asks). Making and opening the PDF never blocks the screen. Every paper the
 * counter prints (receipt, refusal notice, recorded refusals) goes through here.
 */
export function PrintInLanguage(props: {
  /** Makes the paper's PDF in a language (an operation's call). */
  paper: (language: Language) => Promise<PdfFile>;
  /** The button's words for a language's name. */
  label: (languageName: string) => string;
  testId: (language: PaperLanguage) => string;
  doneTestId: string;
  autoFocus?: boolean;
  /** A shortcut that prints in the first language (the receipt's Alt+K). */
  shortcut?: 'receipt';
  /** The applicant's language when known (set on the request): first; otherwise the one used last here. */
  first?: PaperLanguage;
  /** Called before printing in a language other than `first` (the request records the applicant's choice). */
  onOtherLanguage?: (language: PaperLanguage) => Promise<unknown>;
  /** Called once a paper is made and handed to the printer (the work list reloads: a refusal printed is settled). */
  onPrinted?: () => void;
}) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<'printed' | 'opened' | null>(null);
  const [last] = useState(lastLanguage);
  const first = props.first ?? last;
  const make = (language: PaperLanguage) => {
    setDone(null);
    localStorage.setItem(LAST, language);
    return run(async () => {
      if (language !== first) await props.onOtherLanguage?.(language);
      setDone(await printPaper(await props.paper(language)));
      props.onPrinted?.();
    });
  };
  useShortcut(props.shortcut ?? 'receipt', () => void make(first), Boolean(props.shortcut) && !busy);
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
            autoFocus={Boolean(props.autoFocus) && i === 0}
            aria-keyshortcuts={props.shortcut && i === 0 ? SHORTCUTS[props.shortcut].label : undefined}
            onClick={() => void make(l)}
            data-testid={props.testId(l)}
          >
            {props.label(t(`lang.${l}`))}
          </button>
        ))}
        {busy ? <span className="muted" role="status">{t('common.loading')}</span> : null}
        {done ? (
          <span className="ok" role="status" data-testid={props.doneTestId}>
            {t(done === 'printed' ? 'papers.printed' : 'papers.opened')}
          </span>
        ) : null}
      </div>
      <ErrorBox error={error} />
    </div>
  );
}
