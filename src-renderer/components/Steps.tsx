import { useTranslation } from 'react-i18next';

const STEPS = ['service', 'applicant', 'documents', 'sign', 'done'] as const;
export type Step = (typeof STEPS)[number];

export function Steps({ current }: { current: Step }) {
  const { t } = useTranslation();
  const idx = STEPS.indexOf(current);
  return (
    <ol className="steps">
      {STEPS.map((s, i) => (
        <li key={s} className={i < idx ? 'done' : i === idx ? 'current' : ''}>
          {t(`steps.${s}`)}
        </li>
      ))}
    </ol>
  );
}
