import { deadlineWords, estimateWords, provisionalWords, refusalWords } from '../../src-main/contract/deadline-words';
import type { Language } from '../../src-main/contract/model';
import type { OpOutput } from '../../src-main/contract/operations';

/**
 * The expected result date with the words the receipt prints (contract/deadline-words.ts): the
 * period and what it counts from, and whether the date is still an estimate or provisional.
 */
export function ExpectedResult({ expected, lang, label }: { expected: OpOutput<'docs.expectedResult'>; lang: Language; label: string }) {
  return (
    <div data-testid="expected-result">
      <p>
        <strong>{label}</strong>
      </p>
      <p className="muted" data-testid="expected-rule">
        {deadlineWords(lang, expected)}
      </p>
      {expected.refusalBy ? (
        <p className="muted" data-testid="expected-refusal">
          {refusalWords(lang, expected.refusalBy)}
        </p>
      ) : null}
      {expected.estimated ? (
        <p className="muted" data-testid="expected-estimate">
          {estimateWords(lang, expected.countsFrom)}
        </p>
      ) : null}
      {expected.provisional ? <p className="muted">{provisionalWords(lang)}</p> : null}
    </div>
  );
}
