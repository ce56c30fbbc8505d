/**
 * The fuses the packaging step flips in the Electron binary: electron-builder.yml's
 * `electronFuses`, turned into @electron/fuses' configuration by electron-builder's own code
 * (PlatformPackager.generateFuseConfig, what `npm run dist:*` runs), then applied with
 * @electron/fuses' flipFuses to a fuse wire laid out as in Electron's binary and read back with
 * getCurrentFuseWire. (Electron's binary itself cannot be downloaded here.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appRoot } from '../../../src-main/host/paths.js';

const require = createRequire(join(appRoot(), 'node_modules', 'app-builder-lib', 'package.json'));
/** The part of @electron/fuses (electron-builder's own copy) this test uses. */
const fuses = require('@electron/fuses') as {
  flipFuses(file: string, config: Record<string | number, unknown>): Promise<unknown>;
  getCurrentFuseWire(file: string): Promise<Record<number, number>>;
  FuseV1Options: Record<string, number>;
};
const { FuseState } = require('@electron/fuses/dist/constants') as { FuseState: { ENABLE: number; DISABLE: number } };
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(f: unknown): Promise<Record<string | number, unknown>> } };
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const dir = mkdtempSync(join(tmpdir(), 'qab-fuses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in binary: some bytes, the sentinel, a version-1 wire of 8 fuses as Electron ships them. */
function fakeElectron(): string {
  const file = join(dir, `electron-${Math.random().toString(36).slice(2)}`);
  // Electron's defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on,
  // ASAR integrity off, only-from-ASAR off, browser V8 snapshot off, file:// privileges on.
  const wire = Buffer.from([1, 8, ...Buffer.from('10110001')]);
  writeFileSync(file, Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), wire, Buffer.alloc(4096, 0x90)]));
  return file;
}

describe('the Electron fuses of the packaged app', () => {
  it('are flipped by the packaging step: no RunAsNode, no --inspect, no NODE_OPTIONS, cookie encryption, ASAR integrity, app only from ASAR', async () => {
    const yml = parse(readFileSync(join(appRoot(), 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    const config = await PlatformPackager.prototype.generateFuseConfig.call({}, yml.electronFuses);
    const bin = fakeElectron();
    await fuses.flipFuses(bin, config);
    const wire = await fuses.getCurrentFuseWire(bin);
    const O = fuses.FuseV1Options;
    const on = (o: number | undefined) => wire[o!] === FuseState.ENABLE;
    const off = (o: number | undefined) => wire[o!] === FuseState.DISABLE;
    expect(off(O.RunAsNode)).toBe(true);
    expect(off(O.EnableNodeCliInspectArguments)).toBe(true);
    expect(off(O.EnableNodeOptionsEnvironmentVariable)).toBe(true);
    expect(on(O.EnableCookieEncryption)).toBe(true);
    expect(on(O.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(O.OnlyLoadAppFromAsar)).toBe(true);
    expect(off(O.GrantFileProtocolExtraPrivileges)).toBe(true);
    // The bytes around the wire are untouched.
    const raw = readFileSync(bin);
    expect(raw.subarray(0, 4096).every((b) => b === 0x90)).toBe(true);
    expect(raw.subarray(raw.length - 4096).every((b) => b === 0x90)).toBe(true);
  });

  it('RunAsNode off is not a loss: the installed admin commands go through the app (--admin), the scanner worker is a utilityProcess', () => {
    const main = readFileSync(join(appRoot(), 'src-main', 'main.ts'), 'utf8');
    expect(main).toMatch(/process\.argv\.indexOf\('--admin'\)/);
    const scanner = readFileSync(join(appRoot(), 'src-main', 'electron', 'scan-worker-electron.ts'), 'utf8');
    expect(scanner).toMatch(/utilityProcess\.fork/);
    expect(readFileSync(join(appRoot(), 'scripts', 'admin.ts'), 'utf8')).not.toMatch(/ELECTRON_RUN_AS_NODE/);
  });
});
