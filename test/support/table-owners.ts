/**
 * The table-ownership check (src-main/db/table-owners.ts): finds the SQL in source text (string
 * and template literals that read as SQL) and the tables each statement names, and reports every
 * name outside its owner. Plain text scanning, no parser: our SQL is written in upper-case keywords
 * and lower-case table names, and only names of known tables count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TableOwner } from '../../src-main/db/table-owners.js';

export interface SourceFile {
  path: string;
  text: string;
}

export interface Violation {
  file: string;
  table: string;
  kind: 'write' | 'read';
  sql: string;
}

const LITERAL = /`(?:\\[\s\S]|[^`\\])*`|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g;
const SQL_START = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|CREATE|DROP|ALTER)\b/;
const SQL_ANYWHERE = /\b(?:SELECT\s[\s\S]*\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/;
/** A table name after the keyword that introduces it; the keyword says whether it is written. */
const REFERENCE = /\b(INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|FROM|JOIN|TABLE|EXISTS)\s+([a-z_][a-z0-9_]*)/g;

export function listSources(root: string, dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push({ path: relative(root, p).split('\\').join('/'), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, dir));
  return out;
}

/** The tables (and views) the migrations create, temporary `*_new` copies aside. */
export function tablesOf(migrations: SourceFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of migrations) {
    for (const m of f.text.matchAll(/CREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/g)) if (!m[1]!.endsWith('_new')) out.add(m[1]!);
  }
  return out;
}

/** The SQL statements in a file's text (literals that read as SQL). */
export function sqlIn(text: string): string[] {
  return [...text.matchAll(LITERAL)].map((m) => m[0].slice(1, -1)).filter((s) => SQL_START.test(s) || SQL_ANYWHERE.test(s));
}

export function checkOwnership(files: SourceFile[], owners: readonly TableOwner[], tables: ReadonlySet<string>, schemaDir: string): Violation[] {
  const owns = new Map<string, Set<string>>();
  const reads = new Map<string, Set<string>>();
  for (const o of owners) {
    owns.set(o.file, new Set(o.owns));
    reads.set(o.file, new Set(o.reads ?? []));
  }
  const out: Violation[] = [];
  for (const f of files) {
    if (f.path.startsWith(schemaDir)) continue;
    for (const sql of sqlIn(f.text)) {
      for (const m of sql.matchAll(REFERENCE)) {
        const table = m[2]!;
        if (!tables.has(table)) continue;
        const kind = /^(INSERT|REPLACE|UPDATE|DELETE)/.test(m[1]!) ? 'write' : 'read';
        if (owns.get(f.path)?.has(table)) continue;
        if (kind === 'read' && reads.get(f.path)?.has(table)) continue;
        out.push({ file: f.path, table, kind, sql: sql.replace(/\s+/g, ' ').trim().slice(0, 120) });
      }
    }
  }
  return out;
}

/** Tables the migrations create that no entry owns, and entries naming tables that do not exist. */
export function ownerMapProblems(owners: readonly TableOwner[], tables: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const o of owners) {
    for (const t of o.owns) {
      if (!tables.has(t)) problems.push(`${o.file} owns ${t}, which no migration creates`);
      if (seen.has(t)) problems.push(`${t} has two owners: ${seen.get(t)} and ${o.file}`);
      seen.set(t, o.file);
    }
  }
  for (const t of tables) if (!seen.has(t)) problems.push(`table ${t} has no owner in src-main/db/table-owners.ts`);
  return problems;
}
