import { ScreenMark, screenMark } from './ScreenMark';
import { StepTimer } from './StepTimer';

/** The screens of Diagram 3, where the operator's step timer shows. */
const DIAGRAM3_VIEWS: ReadonlySet<string> = new Set(['service', 'applicant', 'documents', 'sign', 'done']);

/**
 * The regulation's clock in the app's frame (one slot above the screens): the screen-ready mark of
 * every screen it times, and on the Diagram 3 screens the operator's step timer.
 */
export function CounterClock({ view, signedIn }: { view: Parameters<typeof screenMark>[0]; signedIn: boolean }) {
  const mark = screenMark(view, signedIn);
  return (
    <>
      <ScreenMark {...mark} />
      {signedIn && DIAGRAM3_VIEWS.has(view.name) ? <StepTimer requestId={mark.requestId} serviceId={mark.serviceId} screen={view.name} /> : null}
    </>
  );
}
