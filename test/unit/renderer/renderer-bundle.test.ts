/**
 * The built renderer (npm test builds before it runs the tests) carries no Node, no Electron and
 * no schema library: it talks to the contract by type only, and stays small.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../src-main/host/paths.js';

const assets = join(appRoot(), 'dist', 'renderer', 'assets');
const js = readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .map((f) => readFileSync(join(assets, f), 'utf8'))
  .join('\n');

describe('the renderer bundle', () => {
  it('does not contain zod, Node built-ins or Electron', () => {
    expect(js).not.toMatch(/ZodError|\$ZodType|zod\/v4/);
    expect(js).not.toMatch(/require\(["'](node:)?(fs|child_process|crypto)["']\)/);
    expect(js).not.toMatch(/ipcRenderer|contextBridge/);
  });

  it('stays well under the 500 KB (gzipped) budget', () => {
    expect(gzipSync(js).length).toBeLessThan(500 * 1024);
  });
});

describe('the preload bundle', () => {
  const preload = readFileSync(join(appRoot(), 'dist', 'main', 'preload.cjs'), 'utf8');

  it('knows every operation of the contract, and nothing else', async () => {
    const { OP_NAMES } = await import('../../../src-main/contract/operations.js');
    const m = /OP_NAMES = (\[[^\]]*\])/.exec(preload);
    expect(m).not.toBeNull();
    expect(new Set(JSON.parse(m![1]!) as string[])).toEqual(new Set(OP_NAMES));
  });

  it('carries no schema library (every window parses it)', () => {
    expect(preload).not.toMatch(/ZodError|\$ZodType/);
    expect(preload.length).toBeLessThan(20 * 1024);
  });
});
