/**
 * Walks several end-to-end files share. A request made through the contract as the demo operator
 * (the IIN applicant of the sandbox's registry, the emission permit for a category IV object,
 * the required documents presented and signed), then opened from the work list in Chromium.
 */
import { expect } from 'vitest';
import type { RequestDetail, RequestStatus } from '../../src-main/contract/model.js';
import type { ChromiumWorld } from './e2e.js';
import { presentRequiredDocuments, type Stack } from './stack.js';

const APPLICANT_IIN = '900702400457';

/** Signs a request through the contract and waits until the running sync engine brings it to `status`. */
export async function signedRequestUntil(stack: Stack, status: RequestStatus): Promise<RequestDetail> {
  await stack.login();
  await stack.ok('applicant.lookup', { kind: 'iin', number: APPLICANT_IIN });
  let r = await stack.ok('request.create', { serviceId: 'emission-permit-almaty', subServiceId: 'cat-4', applicant: { kind: 'iin', number: APPLICANT_IIN, manualName: null } });
  r = await presentRequiredDocuments(stack, r);
  await stack.ok('request.sign', { requestId: r.id, password: 'Qwerty12' });
  await expect.poll(async () => (await stack.ok('request.get', { id: r.id })).status, { timeout: 60_000, interval: 300 }).toBe(status);
  return r;
}

/**
 * Opens the app (the workstation has one session: the operator who made the request is logged
 * in) and the work list's first request, up to its result panel.
 */
export async function openFirstQueuedResult(world: ChromiumWorld): Promise<void> {
  const { page, stack } = world;
  await page.goto(stack.web.url);
  await page.getByTestId('screen-service').waitFor();
  await page.getByTestId('nav-queue').click();
  await page.getByTestId('queue-row').first().getByTestId('row-open').click();
  await page.getByTestId('result-panel').waitFor();
}

/** The sandbox registry's legal entity that most walks accept a request for. */
export const COMPANY_BIN = '150240012347';

/**
 * From the service screen to a new request's documents screen, in Chromium: the emission permit
 * for a category IV object (P2), the company looked up by its BIN (P3), the request created.
 */
export async function newCompanyRequest(world: ChromiumWorld): Promise<void> {
  const { page } = world;
  await page.getByTestId('sub-emission-permit-almaty').selectOption('cat-4');
  await page.getByTestId('choose-emission-permit-almaty').click();
  await page.getByTestId('kind-bin').check();
  await page.getByTestId('idn').fill(COMPANY_BIN);
  await page.getByTestId('lookup').click();
  await page.getByTestId('create-request').click();
  await page.getByTestId('screen-documents').waitFor();
}
