/**
 * A network scanner (eSCL) in Chromium: the operator sees it in the scanner settings beside the
 * SANE devices, chooses it for this workstation (written to the per-user configuration), and then
 * scans a document into a request from it: the page comes from the sandbox eSCL scanner over
 * loopback HTTP, through the scanner worker, into the request's slot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxEsclScanner } from '../../sandbox/escl/scanner.js';
import { esclDeviceId } from '../../src-main/scan/drivers/escl/escl-driver.js';
import { screenshotter } from '../support/browser.js';
import { chromiumWorld, signInAsOperator } from '../support/e2e.js';

const scanner = new SandboxEsclScanner({ makeAndModel: 'Sandbox MFP-3000' });
const url = await scanner.start();
const deviceId = esclDeviceId(url);
afterAll(() => scanner.stop());

const world = chromiumWorld({ userConfig: { scanner: { escl: { scanners: [{ url, name: 'Counter MFP' }], discovery: false, timeoutMs: 10_000, pinned: [] } } } });
const shot = screenshotter('e2e-escl');

describe('an eSCL scanner chosen in the settings screen', () => {
  it('is listed, chosen, and scans a document into the request', async () => {
    const { page, stack } = world;
    await signInAsOperator(world);
    await page.getByTestId('screen-service').waitFor();

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('screen-settings').waitFor();
    const device = page.locator(`[data-testid="scanner-device"][data-driver="escl"]`);
    await device.waitFor({ timeout: 30_000 });
    expect(await device.getAttribute('data-device')).toBe(deviceId);
    expect(await device.textContent()).toContain('Sandbox Counter MFP');
    expect(await device.textContent()).toContain('eSCL');
    await device.getByTestId('scanner-use').check();
    await expect.poll(() => (JSON.parse(readFileSync(stack.userConfigFile, 'utf8')) as { scanner?: { device?: string } }).scanner?.device).toBe(deviceId);
    await shot(page, 'settings-escl-chosen');

    // A request, up to its documents; one page scanned from the glass of the chosen scanner.
    await page.getByTestId('nav-new').click();
    await page.getByTestId('screen-service').waitFor();
    await page.getByTestId('sub-emission-permit-almaty').selectOption('cat-3');
    await page.getByTestId('choose-emission-permit-almaty').click();
    await page.getByTestId('screen-applicant').waitFor();
    await page.getByTestId('idn').fill('900702400457');
    await page.getByTestId('lookup').click();
    await page.getByTestId('applicant-found').waitFor();
    await page.getByTestId('create-request').click();
    await page.getByTestId('screen-documents').waitFor();
    await page.getByTestId('presented-application').check();
    await page.getByTestId('slot-application').locator('.slot-body').waitFor();
    await page.getByTestId('scan-profile').selectOption('flatbed-300-gray');
    await page.getByTestId('scan-application').click();
    await page.getByTestId('slot-application').getByTestId('page-thumb').waitFor({ timeout: 60_000 });
    await shot(page, 'documents-escl-page');

    const posts = scanner.requests.filter((q) => q.method === 'POST' && q.path === '/eSCL/ScanJobs');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toContain('<pwg:InputSource>Platen</pwg:InputSource>');
    expect(scanner.requests.filter((q) => q.path.endsWith('/NextDocument')).length).toBeGreaterThanOrEqual(1);
  });
});
