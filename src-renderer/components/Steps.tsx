import { useTranslation } from 'react-i18next';

const STEPS = ['service', 'applicant', 'documents', 'sign', 'done'] as const;
export type Step = (typeof STEPS)[number];

/**
 * Where the operator is in Diagram 3: a navigation landmark named "progress" holding an ordered
 * list; the current step carries aria-current="step", the finished ones say so to a screen reader.
 */
export function Steps({ current }: { current: Step }) {
  const { t } = useTranslation();
  const idx = STEPS.indexOf(current);
  return (
    <nav aria-label={t('a11y:progress', { step: idx + 1, of: STEPS.length })} data-testid="steps">
      <ol className="steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i < idx ? 'done' : i === idx ? 'current' : ''} aria-current={i === idx ? 'step' : undefined}>
            {t(`steps.${s}`)}
            {i < idx ? <span className="sr-only"> ({t('a11y:stepDone')})</span> : null}
          </li>
        ))}
      </ol>
    </nav>
  );
}
