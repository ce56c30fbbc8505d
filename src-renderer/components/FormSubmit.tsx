import type { ReactNode } from 'react';
import { ErrorBox } from './ErrorBox';

/** The end of a form: what went wrong (in the operator's language), then its submit button, off while busy. */
export function FormSubmit(props: { error: unknown; busy: boolean; testId: string; children: ReactNode }) {
  return (
    <>
      <ErrorBox error={props.error} />
      <button type="submit" className="primary" disabled={props.busy} data-testid={props.testId}>
        {props.children}
      </button>
    </>
  );
}
