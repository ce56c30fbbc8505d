import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appRoot } from '../../../src-main/host/paths.js';

const root = appRoot();
const require = createRequire(import.meta.url);
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;

describe('electron-builder.yml', () => {
  it('passes the JSON schema that app-builder-lib ships', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a misspelt option (the schema check is not vacuous)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(schema);
    expect(validate({ ...config, msi: { ...config.msi, perMachien: true } })).toBe(false);
  });

  it('builds a per-machine MSI with a stable upgrade code and shortcuts, plus deb and AppImage', () => {
    expect(config.win!.target).toEqual([{ target: 'msi', arch: ['x64'] }]);
    expect(config.msi).toMatchObject({
      perMachine: true,
      upgradeCode: 'A640AECE-2BB1-42AC-B4AA-D77B54C9CFF7',
      createDesktopShortcut: 'always',
      createStartMenuShortcut: true,
    });
    expect((config.linux!.target as { target: string }[]).map((t) => t.target)).toEqual(['deb', 'AppImage']);
  });

  it('points at files that exist and unpacks native modules', () => {
    expect(existsSync(join(root, String(config.win!.icon)))).toBe(true);
    expect(existsSync(join(root, 'assets', 'icons', '512x512.png'))).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.extraMetadata).toEqual({ main: 'dist/main/main.js' });
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['dist:win']).toMatch(/electron-builder .*--win/);
    expect(pkg.scripts['dist:linux']).toMatch(/electron-builder .*--linux/);
  });
});
