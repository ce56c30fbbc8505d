/** The scanner: status, devices, profiles, and scan jobs into a request's document slot. */
import { AppError } from '../../contract/errors.js';
import type { JobSnapshot } from '../../scan/index.js';
import { operatorOf, type DomainHandlers, type HostServices } from './services.js';

/** A scan job as the contract shows it (no device options, no raw settings). */
function jobOut(j: JobSnapshot) {
  return {
    jobId: j.jobId,
    deviceId: j.deviceId,
    state: j.state,
    pages: j.pages,
    skippedBlank: j.skippedBlank,
    fault: j.fault ? { code: j.fault.code, action: j.fault.action, retryable: j.fault.retryable } : null,
  };
}

export const scanHandlers = ({ scanning, steps }: HostServices) => {
  const scanService = async () => {
    const s = (await scanning()).service;
    if (!s) throw new AppError('SCAN_NO_SANE');
    return s;
  };
  return {
    'scan.status': async () => (await scanning()).status(),
    'scan.devices': async ({ refresh }) => {
      const s = await scanService();
      const devices = await s.devices({ refresh });
      return { devices, selected: s.selectedDevice ?? null };
    },
    'scan.selectDevice': async ({ deviceId }) => {
      await (await scanning()).selectDevice(deviceId);
      return { ok: true as const };
    },
    'scan.trustCertificate': async ({ deviceId, sha256 }) => {
      await (await scanning()).trustCertificate(deviceId, sha256);
      return { ok: true as const };
    },
    'scan.profiles': async () => ({
      profiles: ((await scanning()).service?.listProfiles() ?? []).map((p) => ({
        id: p.id,
        nameKey: p.nameKey,
        source: p.settings.source,
        mode: p.settings.mode,
        dpi: p.settings.dpi,
      })),
    }),
    'scan.start': async (input, ctx) => {
      const job = await (await scanning()).start(operatorOf(ctx).id, input);
      steps.scanStarted(job.jobId, input.requestId, operatorOf(ctx).id);
      return jobOut(job);
    },
    'scan.continue': async ({ jobId }) => jobOut(await (await scanService()).continueJob(jobId)),
    'scan.job': async ({ jobId }) => jobOut((await scanService()).job(jobId)),
    'scan.cancel': async ({ jobId }) => jobOut(await (await scanService()).cancel(jobId)),
  } satisfies DomainHandlers;
};
