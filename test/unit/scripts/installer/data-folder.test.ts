/**
 * The MSI's data folder (scripts/installer/): the access lists the script sets, parsed from its
 * SDDL, and the custom action the build hook adds to electron-builder's own WiX template.
 * (PowerShell and WiX cannot run here: what can be checked without them is checked.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { appRoot } from '../../../../src-main/host/paths.js';

const root = appRoot();
const ps1 = readFileSync(join(root, 'scripts', 'installer', 'data-folder.ps1'), 'utf8');
const hook = createRequire(import.meta.url)(join(root, 'scripts', 'installer', 'msi-project-created.cjs')) as ((f: string) => Promise<void>) & { patchWxs(t: string): string };

/** The ACEs of a "D:PAI(...)(...)" SDDL: [type, flags, rights, trustee]. */
function aces(sddl: string): string[][] {
  expect(sddl.startsWith('D:PAI')).toBe(true); // protected: nothing inherited from ProgramData
  return [...sddl.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.split(';')).map((f) => [f[0]!, f[1]!, f[2]!, f[5]!]);
}

function sddlOf(name: string): string {
  const m = new RegExp(`\\$${name} = "([^"]+)"`).exec(ps1);
  expect(m, name).not.toBeNull();
  return m![1]!.replace('$sid', 'S-1-5-21-1-2-3-1001');
}

describe('the MSI data folder', () => {
  it('grants SYSTEM and Administrators full control, the operators group read on the root and modify on data\\, nobody else', () => {
    const group = 'S-1-5-21-1-2-3-1001';
    expect(aces(sddlOf('rootSddl'))).toEqual([
      ['A', 'OICI', 'FA', 'SY'],
      ['A', 'OICI', 'FA', 'BA'],
      ['A', 'OICI', '0x1200a9', group], // read and execute: config.json stays the administrators'
    ]);
    expect(aces(sddlOf('dataSddl'))).toEqual([
      ['A', 'OICI', 'FA', 'SY'],
      ['A', 'OICI', 'FA', 'BA'],
      ['A', 'OICI', '0x1301bf', group], // modify, not full control: no changing the ACL
    ]);
    for (const everyone of ['WD', 'BU', 'AU', 'IU', 'S-1-1-0', 'S-1-5-32-545']) expect(ps1).not.toMatch(new RegExp(`;;;${everyone}\\)`));
  });

  it('refuses a folder owned by anyone but SYSTEM, Administrators or TrustedInstaller, or a link, before changing anything', () => {
    expect(ps1).toMatch(/\$trustedOwners = @\('S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'\)/);
    expect(ps1).toMatch(/ReparsePoint\)\) \{ exit 2 \}/);
    expect(ps1).toMatch(/-notcontains \$owner\) \{ exit 2 \}/);
    // Both checks come before any folder is created or any ACL is set.
    const firstWrite = Math.min(ps1.indexOf('New-Item'), ps1.indexOf('Set-Acl'));
    expect(ps1.indexOf('Assert-OwnFolder $root')).toBeLessThan(firstWrite);
    expect(ps1.indexOf('Assert-OwnFolder $data')).toBeLessThan(firstWrite);
  });

  it('is run by the MSI as LocalSystem after the files are installed, failing the installation when it refuses', async () => {
    const template = readFileSync(join(root, 'node_modules', 'app-builder-lib', 'templates', 'msi', 'template.xml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'qab-wxs-'));
    try {
      const file = join(dir, 'project.wxs');
      writeFileSync(file, template);
      await hook(file);
      const out = readFileSync(file, 'utf8');
      const action = /<CustomAction Id="QabyldauDataFolderRights"([^>]*)\/>/s.exec(out)?.[1] ?? '';
      expect(action).toMatch(/Execute="deferred"/);
      expect(action).toMatch(/Impersonate="no"/);
      expect(action).toMatch(/Return="check"/);
      expect(action).toMatch(/-File "\[APPLICATIONFOLDER\]resources\\installer\\data-folder\.ps1"/);
      expect(out).toMatch(/<Custom Action="QabyldauDataFolderRights" After="InstallFiles"><!\[CDATA\[NOT \(REMOVE~="ALL"\)\]\]><\/Custom>/);
      expect(out.indexOf('QabyldauDataFolderRights')).toBeLessThan(out.lastIndexOf('</Product>'));
      expect(hook.patchWxs(out)).toBe(out); // applied once
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const yml = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as { msiProjectCreated: string; extraResources: { from: string; to: string }[] };
    expect(yml.msiProjectCreated).toBe('scripts/installer/msi-project-created.cjs');
    expect(yml.extraResources).toContainEqual({ from: 'scripts/installer/data-folder.ps1', to: 'installer/data-folder.ps1' });
  });
});
