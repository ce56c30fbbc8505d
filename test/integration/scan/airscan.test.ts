// Checked against a client nobody here wrote: Debian's sane-airscan backend, driven by scanimage,
// scans from the sandbox eSCL scanner (platen, an ADF batch, duplex, and a jam it must report),
// and our client scans from the same server. If a real eSCL client understands the sandbox, the
// sandbox speaks real eSCL, and our client is tested against it.
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMarker } from '../../../sandbox/escl/pages.js';
import { airscanConfigDir, scanimage } from '../../support/scan/airscan.js';
import { esclRig, markersOf, range, type EsclRig } from '../../support/scan/escl.js';

let r: EsclRig;
let dir: string;
let env: Record<string, string>;
const DEVICE = 'airscan:e0:Sandbox';

beforeAll(async () => {
  r = await esclRig({ feeder: 0 });
  dir = await mkdtemp(join(tmpdir(), 'qab-airscan-'));
  env = await airscanConfigDir(join(dir, 'sane.d'), [{ name: 'Sandbox', url: r.scanner.url }]);
});
afterAll(async () => {
  await r.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function markersIn(folder: string, dpi: number): Promise<string[]> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.png')).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
  const out: string[] = [];
  for (const f of files) {
    const m = await readMarker(await readFile(join(folder, f)), dpi);
    out.push(m ? `${m.sheet}${m.back ? 'b' : ''}` : 'none');
  }
  return out;
}

describe('sane-airscan (scanimage) against the sandbox eSCL scanner', () => {
  it('finds the scanner and offers its sources, modes and resolutions', async () => {
    const list = await scanimage(env, ['-L']);
    expect(list.stdout).toContain(`device \`${DEVICE}' is a eSCL Sandbox`);
    const opts = await scanimage(env, ['-d', DEVICE, '-A']);
    expect(opts.ok).toBe(true);
    expect(opts.stdout).toMatch(/--source Flatbed\|ADF\|ADF Duplex/);
    expect(opts.stdout).toMatch(/--mode Color\|Gray/);
    expect(opts.stdout).toMatch(/--resolution 75\|100\|150\|200\|300\|600dpi/);
  });

  it('scans the platen in colour', async () => {
    const out = join(dir, 'platen');
    await rm(out, { recursive: true, force: true });
    await mkdir(out);
    const s = await scanimage(env, ['-d', DEVICE, '--source', 'Flatbed', '--mode', 'Color', '--resolution', '100', '-x', '210', '-y', '297', '--format=png', '-o', join(out, 'p1.png')]);
    expect(s.stderr).toBe('');
    const marks = await markersIn(out, 100);
    expect(marks).toHaveLength(1);
    expect(Number(marks[0])).toBeGreaterThan(1000);
  });

  it('scans an ADF batch until the feeder is empty, and both sides in duplex', async () => {
    r.scanner.load(6);
    const out = join(dir, 'adf');
    await mkdir(out, { recursive: true });
    const s = await scanimage(env, ['-d', DEVICE, '--source', 'ADF', '--mode', 'Gray', '--resolution', '75', '-x', '210', '-y', '297', '--format=png', `--batch=${join(out, 'p%d.png')}`]);
    expect(s.stderr).toMatch(/6 pages scanned/);
    expect(await markersIn(out, 75)).toEqual(range(1, 6));

    r.scanner.load(2);
    const dup = join(dir, 'duplex');
    await mkdir(dup, { recursive: true });
    const d = await scanimage(env, ['-d', DEVICE, '--source', 'ADF Duplex', '--mode', 'Gray', '--resolution', '75', '-x', '210', '-y', '297', '--format=png', `--batch=${join(dup, 'p%d.png')}`]);
    expect(d.stderr).toMatch(/4 pages scanned/);
    expect(await markersIn(dup, 75)).toEqual(['7', '7b', '8', '8b']);
  });

  it('reports the sandbox feeder jam as a jam, after the pages before it', async () => {
    r.scanner.load(4);
    r.scanner.faults.jamAtSheet = 11;
    const out = join(dir, 'jam');
    await mkdir(out, { recursive: true });
    const s = await scanimage(env, ['-d', DEVICE, '--source', 'ADF', '--mode', 'Gray', '--resolution', '75', '-x', '210', '-y', '297', '--format=png', `--batch=${join(out, 'p%d.png')}`]);
    expect(s.stderr).toMatch(/jam/i);
    expect(await markersIn(out, 75)).toEqual(['9', '10']);
    r.scanner.clearFault();
    r.scanner.feeder.splice(0);
  });

  it('and our client scans from the same server', async () => {
    r.scanner.load(3);
    const job = await r.h.service.startJob({ deviceId: r.deviceId, profileId: 'document-300-gray', settings: { dpi: 75 }, skipBlankPages: false });
    expect(await r.h.service.settled(job.jobId)).toMatchObject({ state: 'completed', pages: 3 });
    expect(await markersOf(r, job.jobId)).toEqual(range(13, 15));
  });
});
