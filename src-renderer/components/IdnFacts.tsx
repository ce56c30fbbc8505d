import { useTranslation } from 'react-i18next';
import { formatDate } from '../i18n/format';
import { decodeBin, decodeIin, idnErrorCode, type IdnKind } from '../../src-main/contract/idn';

/**
 * Under an IIN/BIN field: which rule a complete number breaks (the same message the boundary
 * gives), or what a valid number says: an IIN's date of birth, century and sex; a BIN's entity
 * type, division and month of registration.
 */
export function IdnFacts({ kind, value, testId }: { kind: IdnKind; value: string; testId: string }) {
  const { t, i18n } = useTranslation();
  if (value.length !== 12) return null;
  const code = idnErrorCode(kind, value);
  if (code) {
    return (
      <span className="field-error idn-line" data-testid={`${testId}-problem`} data-code={code}>
        {t(`errors:${code}`)}
      </span>
    );
  }
  const text =
    kind === 'iin'
      ? ((f) => f && t('idn:iin', { date: formatDate(f.birthDate, i18n.language), century: t(`idn:century.${f.century}`), sex: t(`idn:sex.${f.sex}`) }))(decodeIin(value))
      : ((f) => f && t('idn:bin', { entityType: t(`idn:entityType.${f.entityType}`), division: t(`idn:division.${f.division}`), month: `${f.registeredMonth.slice(3)}.${f.registeredMonth.slice(0, 2)}` }))(decodeBin(value));
  return (
    <span className="meta idn-line" data-testid={`${testId}-facts`}>
      {text}
    </span>
  );
}
