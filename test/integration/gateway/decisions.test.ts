/**
 * One decision per submission in the sandbox backend, however many callers ask for it at once
 * (its decision timer, the admin API, a second admin call): the result PDF it serves is the one
 * whose hash and size its status announces. The sandbox's clock here moves three seconds at every
 * reading, so two decisions made side by side would produce two different PDFs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GatewayClient } from '../../../src-main/gateway/gateway-client.js';
import { signedRequest, startGatewayRig, uploadAll, type GatewayRig } from '../../support/gateway.js';

let rig: GatewayRig;
let client: GatewayClient;
let t = Date.now();

beforeAll(async () => {
  // No decision by the timer: the test decides through the admin API.
  rig = await startGatewayRig({ decisionDelayMs: 3_600_000, now: () => new Date((t += 3_000)) });
  client = rig.client();
});
afterAll(async () => {
  await rig?.close();
});

it('decides a submission once when asked twice at the same time, and serves the PDF its status announces', async () => {
  const { submission, documents } = await signedRequest(rig.pki);
  await uploadAll(client, documents);
  const { registrationNumber } = await client.submit(submission);
  const answers = await Promise.all([rig.admin.decide(registrationNumber, 'approve'), rig.admin.decide(registrationNumber, 'approve')]);
  const status = await client.status(registrationNumber);
  expect(status.status).toBe('result_ready');
  // Both callers are told the same outcome: the one decision that was made.
  for (const a of answers) expect(a).toMatchObject({ status: 'result_ready', result: status.result });
  const result = await client.downloadResult(registrationNumber, status.result!);
  expect(result.sha256).toBe(status.result!.sha256);
});
