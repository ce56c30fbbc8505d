/**
 * The service catalogue: services, sub-services, document checklists and deadlines, loaded from a
 * data file (assets/catalog/services.json, or an administrator's copy) and validated at start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../contract/errors.js';
import { LegalAct, Service, type OfferedService, type SeedCitation } from '../contract/model.js';
import { actValidity } from '../contract/rules.js';
import type { Regulations, RegulationText } from './regulations.js';

/** A seed regulation as the file carries it: its act's dates and the heading lines it cites. */
const SeedEntry = z.strictObject({
  act: LegalAct,
  /** Paragraph (or table) → its heading line as in the seed ("4. Мемлекеттік қызметті көрсету мерзімі:"). */
  paragraphs: z.record(z.string().min(1), z.string().min(1)),
});

const CatalogFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.number().int().positive(),
  /**
   * Training data: the catalogue shipped for practice and the sandbox (its acts are repealed). A
   * training catalogue lets a repealed act's service be started, and every screen says so; a
   * Centre's real catalogue (training false) never does.
   */
  training: z.boolean().default(false),
  seeds: z.record(z.string().regex(/^\d{3}$/), SeedEntry),
  services: z.array(Service).min(1),
});
type CatalogFile = z.infer<typeof CatalogFile>;

/**
 * Whether a citation is true to the file: its seed is the entry's own, the file carries the cited
 * paragraph of that seed, and that paragraph's heading line begins with the paragraph's number
 * ("Appendix 1, para 4" → "4. …"; "Table 1" → "1-кесте. …" or "1. Кесте …"). Returns what is wrong.
 */
function citationProblem(file: CatalogFile, service: Service, c: SeedCitation): string | null {
  if (c.seed !== service.seed) return `cites seed ${c.seed}, but the service comes from seed ${service.seed}`;
  const seed = file.seeds[c.seed];
  if (!seed) return `cites seed ${c.seed}, which the file does not carry`;
  const heading = seed.paragraphs[c.paragraph];
  if (heading === undefined) return `cites "${c.paragraph}" of seed ${c.seed}, which the file does not carry for that seed`;
  const number = /(\d+)\s*$/.exec(c.paragraph)?.[1];
  if (!number || !new RegExp(`^\\s*${number}\\s*[.-]`).test(heading)) return `cites "${c.paragraph}", but its heading line is "${heading}"`;
  return null;
}

/** The checks zod cannot make: documents, citations. The first problem found, or null. */
function fileProblem(file: CatalogFile): string | null {
  for (const s of file.services) {
    if (!file.seeds[s.seed]) return `service ${s.id}: its act (seed ${s.seed}) is not in the file's seeds`;
    const pool = new Set(s.documents.map((d) => d.id));
    const noteProblem = s.documentsNoteSource && citationProblem(file, s, s.documentsNoteSource);
    if (noteProblem) return `service ${s.id}: the documents note ${noteProblem}`;
    for (const [what, c] of Object.entries(s.counterGrounds ?? {})) {
      const problem = citationProblem(file, s, c);
      if (problem) return `service ${s.id}: the counter ground ${what} ${problem}`;
    }
    for (const sub of s.subServices) {
      const where = `service ${s.id}, sub-service ${sub.id}`;
      const seen = new Set<string>();
      for (const d of sub.documents) {
        if (!pool.has(d.id)) return `${where}: document ${d.id} is not in the service's list`;
        if (seen.has(d.id)) return `${where}: lists document ${d.id} twice`;
        seen.add(d.id);
      }
      for (const [what, c] of [['source', sub.source], ['refusal deadline', sub.refusalDeadline?.source]] as const) {
        const problem = c && citationProblem(file, s, c);
        if (problem) return `${where}: the ${what} ${problem}`;
      }
    }
  }
  return null;
}

/** Every citation of the file with where it is, for the check against the seeds' text. */
function citationsOf(file: CatalogFile): { where: string; c: SeedCitation }[] {
  const out: { where: string; c: SeedCitation }[] = [];
  for (const s of file.services) {
    if (s.documentsNoteSource) out.push({ where: `service ${s.id}: the documents note`, c: s.documentsNoteSource });
    for (const [what, c] of Object.entries(s.counterGrounds ?? {})) out.push({ where: `service ${s.id}: the counter ground ${what}`, c });
    for (const sub of s.subServices) {
      out.push({ where: `service ${s.id}, sub-service ${sub.id}: the source`, c: sub.source });
      if (sub.refusalDeadline) out.push({ where: `service ${s.id}, sub-service ${sub.id}: the refusal deadline`, c: sub.refusalDeadline.source });
    }
  }
  return out;
}

/**
 * The file against the regulations' own text: every quote verbatim (whitespace aside) at its line,
 * every cited paragraph's heading in its seed before that line, every act's status line. The first
 * problem found, or null.
 */
function textProblem(file: CatalogFile, texts: ReadonlyMap<string, RegulationText>): string | null {
  for (const { where, c } of citationsOf(file)) {
    const text = texts.get(c.seed)!;
    const problem = text.quoteProblem(c.quote, c.line) ?? text.paragraphProblem(c.paragraph, file.seeds[c.seed]!.paragraphs[c.paragraph]!, c.line);
    if (problem) return `${where} ${problem}`;
  }
  for (const [seed, entry] of Object.entries(file.seeds)) {
    const status = entry.act.statusLine;
    const problem = status && texts.get(seed)!.quoteProblem(status.quote, status.line);
    if (problem) return `seed ${seed}: the act's status line ${problem}`;
  }
  return null;
}

export interface CatalogOptions {
  /** The acts by seed number (the file's `seeds.<n>.act`). */
  acts?: Readonly<Record<string, LegalAct>>;
  training?: boolean;
}

export interface LoadChecks {
  /**
   * The seeds' texts (shared with the step norms' check: each is read once): when given, every
   * quote and cited paragraph is checked against the text, and a seed without its text refuses the load.
   */
  regulations?: Regulations;
}

/** An act nothing is known of: treated as in force (a file without acts, as in older tests). */
const UNKNOWN_ACT: LegalAct = { title: { kk: '—', ru: '—', en: '—' }, adopted: '1991-12-16', inForce: null, repealed: null, repealedBy: null, statusLine: null };

export class Catalog {
  private readonly byId: Map<string, Service>;
  /** Training data (see the file's `training`): repealed acts' services may be started for practice. */
  readonly training: boolean;
  private readonly acts: Readonly<Record<string, LegalAct>>;

  constructor(
    readonly services: readonly Service[],
    options: CatalogOptions = {},
  ) {
    this.training = options.training ?? false;
    this.acts = options.acts ?? {};
    this.byId = new Map(services.map((s) => [s.id, s]));
    for (const s of services) {
      const slotIds = new Set<string>();
      for (const d of s.documents) {
        if (slotIds.has(d.id)) throw new Error(`catalogue: service ${s.id} lists document ${d.id} twice`);
        slotIds.add(d.id);
      }
    }
    if (this.byId.size !== services.length) throw new Error('catalogue: duplicate service id');
  }

  /**
   * The catalogue a Centre uses: the administrator's copy when there is one (the data folder's
   * catalog/services.json), else the file shipped with the application. Both are checked alike.
   */
  static loadFirst(files: readonly string[], check: LoadChecks = {}): Catalog {
    const file = files.find((f) => existsSync(f)) ?? files.at(-1)!;
    return Catalog.load(file, check);
  }

  static load(file: string, check: LoadChecks = {}): Catalog {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`catalogue ${file} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    const parsed = CatalogFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`catalogue ${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    const problem = fileProblem(parsed.data);
    if (problem) throw new Error(`catalogue ${file}: ${problem}`);
    if (check.regulations) {
      let texts: Map<string, RegulationText>;
      try {
        texts = check.regulations.texts(Object.keys(parsed.data.seeds));
      } catch (e) {
        throw new Error(`catalogue ${file}: ${(e as Error).message}`, { cause: e });
      }
      const wrong = textProblem(parsed.data, texts);
      if (wrong) throw new Error(`catalogue ${file}: ${wrong}`);
    }
    const acts = Object.fromEntries(Object.entries(parsed.data.seeds).map(([n, e]) => [n, e.act]));
    return new Catalog(parsed.data.services, { acts, training: parsed.data.training });
  }

  get(serviceId: string): Service {
    const s = this.byId.get(serviceId);
    if (!s) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    return s;
  }

  /** The act the service rests on. */
  actOf(service: Service): LegalAct {
    return this.acts[service.seed] ?? UNKNOWN_ACT;
  }

  /** Every service with its act and whether the act applies on `today` (Kazakhstan's date). */
  offered(today: string): OfferedService[] {
    return this.services.map((s) => {
      const act = this.actOf(s);
      return { ...s, act, validity: actValidity(act, today) };
    });
  }

  /**
   * The service and sub-service a counter may accept today, or a typed refusal: not at the Centre,
   * unknown, or its act repealed (not yet in force) — unless the catalogue is training data.
   */
  acceptable(serviceId: string, subServiceId: string | null, today: string): { service: Service; subServiceId: string | null } {
    const service = this.get(serviceId);
    if (!service.centreChannel) throw new AppError('CATALOG_NOT_AT_CENTRE');
    const act = this.actOf(service);
    const validity = actValidity(act, today);
    if (validity === 'repealed' && !this.training) throw new AppError('CATALOG_ACT_REPEALED', { repealed: act.repealed ?? '' });
    if (validity === 'not_yet_in_force' && !this.training) throw new AppError('CATALOG_ACT_NOT_IN_FORCE', { inForce: act.inForce ?? '' });
    if (service.subServices.length === 0) return { service, subServiceId: null };
    const sub = service.subServices.find((x) => x.id === subServiceId);
    if (!sub) throw new AppError('CATALOG_UNKNOWN_SERVICE');
    return { service, subServiceId: sub.id };
  }
}
