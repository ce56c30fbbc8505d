import { useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '../../src-main/contract/operations';
import { call, onEvent } from '../api/client';
import { ErrorBox } from './ErrorBox';
import { registerScanStarter } from './scan-starters';

type Job = OpOutput<'scan.start'>;
interface Fault {
  code: string;
  params: Record<string, string | number | boolean>;
  action: string | null;
}

/** Actions that mean "fix it and press continue": the job resumes, the pages so far are kept. */
const CONTINUE_ACTIONS = new Set(['load-and-continue', 'clear-jam-and-continue', 'close-cover-and-continue', 'retry', 'check-connection-and-continue', 'reconnect-device', 'continue']);

/**
 * Scanning into one document slot: start, progress as pages stream in, the scanner's faults with
 * what the operator should do, continue after a fault, cancel. Pages appear in the slot as each
 * is stored (the parent refreshes on request.changed).
 */
export function ScanControl(props: {
  requestId: string;
  slotId: string;
  profileId: string | null;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const { t } = useTranslation();
  const [job, setJob] = useState<Job | null>(null);
  // The message's key and parameters, translated when drawn (it follows a change of UI language).
  const [progress, setProgress] = useState<{ key: string; params: Record<string, unknown> } | null>(null);
  const [fault, setFault] = useState<Fault | null>(null);
  const [error, setError] = useState<unknown>(null);
  const jobId = job?.jobId ?? null;
  const scanning = job?.state === 'scanning';
  const { onBusy } = props;

  useEffect(() => onBusy(scanning), [scanning, onBusy]);

  useEffect(() => {
    if (!jobId) return;
    const offs = [
      onEvent('scan.progress', (e) => {
        if (e.jobId !== jobId) return;
        const percent = e.bytesExpected ? Math.min(100, Math.round((100 * e.bytesRead) / e.bytesExpected)) : 0;
        setProgress({ key: `scan:progress.${e.phase}`, params: { page: e.page, percent, skipped: e.skippedBlank } });
      }),
      onEvent('scan.job', (e) => {
        if (e.jobId !== jobId) return;
        setJob((j) => (j ? { ...j, state: e.state, pages: e.pages, skippedBlank: e.skippedBlank } : j));
        if (e.state === 'completed' || e.state === 'cancelled') setProgress({ key: e.reason === 'feeder-empty' ? 'scan:job.feeder-empty' : `scan:job.${e.state}`, params: { pages: e.pages } });
      }),
      onEvent('scan.fault', (e) => {
        if (e.jobId === jobId) setFault({ code: e.code, params: e.params, action: e.action });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [jobId]);

  const run = async (f: () => Promise<Job>) => {
    setError(null);
    setFault(null);
    try {
      setJob(await f());
    } catch (e) {
      setError(e);
    }
  };

  const { requestId, slotId, profileId, disabled } = props;
  // A layout effect: the starter a shortcut calls is current as soon as the button shows its new state.
  useLayoutEffect(
    () =>
      registerScanStarter(slotId, (maxPages) => {
        if (!disabled && !scanning) void run(() => call('scan.start', { requestId, slotId, deviceId: null, profileId, maxPages }));
      }),
    [requestId, slotId, profileId, disabled, scanning],
  );

  return (
    <span className="scan-control">
      {scanning ? (
        <button type="button" onClick={() => void run(() => call('scan.cancel', { jobId: jobId! }))} data-testid={`scan-cancel-${props.slotId}`}>
          {t('scan:action.cancel')}
        </button>
      ) : (
        <button
          type="button"
          disabled={props.disabled}
          data-testid={`scan-${props.slotId}`}
          onClick={() =>
            void run(() =>
              job && job.state !== 'failed'
                ? call('scan.continue', { jobId: job.jobId })
                : call('scan.start', { requestId: props.requestId, slotId: props.slotId, deviceId: null, profileId: props.profileId, maxPages: null }),
            )
          }
        >
          {job && job.state === 'completed' ? t('scan:action.scan-more') : t('documents.scan')}
        </button>
      )}
      {progress ? (
        <span className="muted scan-progress" data-testid={`scan-progress-${props.slotId}`}>
          {t(progress.key, progress.params)}
        </span>
      ) : null}
      {fault ? (
        <span className="scan-fault" role="alert" data-testid={`scan-fault-${props.slotId}`} data-code={fault.code}>
          {t(`errors:${fault.code}`, { ...fault.params, defaultValue: t('errors:INTERNAL') })}
          {fault.action && CONTINUE_ACTIONS.has(fault.action) && typeof fault.params.nextPage === 'number' && Number(fault.params.pagesKept) > 0 ? (
            <span data-testid={`scan-reload-${props.slotId}`}> {t('scan:fault.reload-from', { page: fault.params.nextPage })}</span>
          ) : null}
          {fault.action && CONTINUE_ACTIONS.has(fault.action) && job ? (
            <button type="button" className="primary" onClick={() => void run(() => call('scan.continue', { jobId: job.jobId }))} data-testid={`scan-continue-${props.slotId}`}>
              {t(`scan:action.${fault.action}`)}
            </button>
          ) : fault.action ? (
            <em> {t(`scan:action.${fault.action}`)}</em>
          ) : null}
        </span>
      ) : null}
      <ErrorBox error={error} />
    </span>
  );
}
