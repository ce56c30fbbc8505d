import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SOURCES = ['src-main/papers', 'src-main/calendar', 'src-main/electron/print.ts'];

async function sourceFiles(path: string): Promise<string[]> {
  if (path.endsWith('.ts')) return [join(ROOT, path)];
  const entries = await readdir(join(ROOT, path), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('every DOCS_* and CALENDAR_* error an operator can meet has a sentence in kk, ru and en', () => {
  it('codes thrown in the code are in errors/docs.json of each language, with the same parameters', async () => {
    const thrown = new Map<string, Set<string>>();
    for (const s of SOURCES) {
      for (const f of await sourceFiles(s)) {
        const src = await readFile(f, 'utf8');
        for (const m of src.matchAll(/AppError\('([A-Z_]+)'(?:,\s*\{([^}]*)\})?/g)) {
          const params = thrown.get(m[1]!) ?? new Set<string>();
          for (const part of (m[2] ?? '').split(',')) {
            const key = /^\s*(\w+)/.exec(part)?.[1];
            if (key) params.add(key);
          }
          thrown.set(m[1]!, params);
        }
      }
    }
    expect(thrown.size).toBeGreaterThan(10);
    for (const lang of ['kk', 'ru', 'en']) {
      const messages = JSON.parse(await readFile(join(ROOT, 'src-renderer/i18n', lang, 'errors/docs.json'), 'utf8')) as Record<string, string>;
      for (const [code, params] of thrown) {
        expect(messages[code], `${lang}: ${code}`).toBeTruthy();
        const used = new Set([...messages[code]!.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!));
        for (const u of used) expect(params.has(u), `${lang}: ${code} uses {{${u}}}`).toBe(true);
      }
      for (const code of Object.keys(messages)) expect(thrown.has(code), `${lang}: ${code} is never thrown`).toBe(true);
    }
  });
});
