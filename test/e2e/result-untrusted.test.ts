/**
 * P9 in a real Chromium when the result's signer cannot be trusted: the sandbox signs the permit
 * with a certificate of the provider's own chain that its CA has revoked. The running sync engine
 * refuses it; the operator sees the request needing attention, the signature marked invalid, the
 * reason in Kazakh, and no way to open or hand over the permit. Screenshot in
 * test-results/e2e-result-untrusted/.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld } from '../support/e2e.js';
import { testPki } from '../support/pki.js';
import { openFirstQueuedResult, signedRequestUntil } from '../support/e2e-walks.js';

const pki = testPki();
const revokedSigner = {
  certFile: join(pki.dir, 'provider/signer-revoked.pem'),
  keyFile: join(pki.dir, 'provider/signer-revoked.key.pem'),
  chainFile: pki.provider.chain,
};
const world = chromiumWorld(
  { signing: true, host: { startSync: true }, sandbox: { decisionDelayMs: 300, provider: revokedSigner }, env: { QABYLDAU_SYNC__INTERVAL_SECONDS: '1' } },
  { width: 1280, height: 1000 },
);
const shot = screenshotter('e2e-result-untrusted');

describe('a result signed by a revoked certificate, in Chromium', () => {
  it('is not shown: the operator is told why, in Kazakh, and cannot hand it over', { timeout: 120_000 }, async () => {
    const { page, stack } = world;
    await signedRequestUntil(stack, 'needs_attention');
    await openFirstQueuedResult(world);
    expect(await page.getByTestId('result-verification').getAttribute('data-verification')).toBe('invalid');
    const reason = page.getByTestId('result-verification-reason');
    expect(await reason.getAttribute('data-code')).toBe('SIGN_RESULT_SIGNER_REVOKED');
    expect(await reason.textContent()).toBe('Нәтижеге қол қойылған сертификат кері қайтарылған. Нәтижені бермеңіз және оны көрсетілетін қызметті берушіден қайта сұратыңыз.');
    expect(await page.getByTestId('result-open').count()).toBe(0);
    expect(await page.getByTestId('issue-applicant').count()).toBe(0);
    await shot(page, 'result-refused');
  });
});
