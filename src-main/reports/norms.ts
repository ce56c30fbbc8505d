/**
 * Norms as data: each service's Diagram 3 step norms, read from assets/catalog/norms.json beside
 * the catalogue and validated at start. A file naming an unknown service, a negative or zero
 * time, a missing unit, a step twice, a service that neither gives norms nor says it has none, or
 * (when the regulations' texts are given) a quote its seed does not say at the cited lines, stops
 * the start with a message naming the file and the entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Regulations, RegulationText } from '../catalog/regulations.js';
import { LocalizedText } from '../contract/model.js';
import { StepId, type ServiceNorms, type StepNorm } from '../contract/report.js';

const PrintedNorm = z.strictObject({
  step: StepId,
  /** The lower bound of a range ("30 сек – 1 минут"), in `unit`, or null. */
  min: z.number().positive('must be a positive time').nullable(),
  max: z.number().positive('must be a positive time'),
  unit: z.enum(['seconds', 'minutes'], 'must be "seconds" or "minutes"'),
  source: z.strictObject({
    seed: z.string().regex(/^\d{3}$/, 'a seed number such as "000"'),
    table: z.string().min(1),
    row: z.string().min(1),
    /** The cited lines of the seed's text: "L258–278" or "L258". */
    lines: z.string().regex(/^L\d+(?:[–-]\d+)?$/, 'lines such as "L258–278" or "L258"'),
    quote: z.string().min(1),
  }),
});

const NormsFile = z.strictObject({
  $comment: z.string().optional(),
  version: z.number().int().positive(),
  services: z.array(
    z.strictObject({
      serviceId: z.string().min(1),
      steps: z.array(PrintedNorm),
      noNorms: LocalizedText.nullable(),
    }),
  ),
});

const UNIT_MS = { seconds: 1000, minutes: 60_000 } as const;

/** Thrown when the norms file is unusable: the start refuses it (message names file and entry). */
export class NormsFileError extends Error {
  override readonly name = 'NormsFileError';
}

export class Norms {
  private readonly byService: Map<string, ServiceNorms>;

  private constructor(
    readonly version: number,
    services: readonly ServiceNorms[],
  ) {
    this.byService = new Map(services.map((s) => [s.serviceId, s]));
  }

  /**
   * The norms a Centre uses: the administrator's copy beside an administrator's catalogue (the data
   * folder's catalog/norms.json) when there is one, else the file shipped with the application.
   * Both are checked alike; a bad one refuses the start.
   */
  static loadFirst(files: readonly string[], knownServices: readonly string[], check: { regulations?: Regulations } = {}): Norms {
    return Norms.load(files.find((f) => existsSync(f)) ?? files.at(-1)!, knownServices, check);
  }

  /**
   * Reads and checks the file; `knownServices` are the catalogue's service ids. With `regulations`
   * (the seeds' texts, the same the catalogue was checked against: each is read once), every
   * norm's quote must be in its seed at the lines it cites.
   */
  static load(file: string, knownServices: readonly string[], check: { regulations?: Regulations } = {}): Norms {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new NormsFileError(`norms file ${file} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    return Norms.parse(raw, knownServices, file, check.regulations);
  }

  static parse(raw: unknown, knownServices: readonly string[], file = 'norms', regulations?: Regulations): Norms {
    const parsed = NormsFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new NormsFileError(`norms file ${file}: ${entryName(raw, issue.path)}: ${issue.message}`);
    }
    const texts = regulations && textsOf(parsed.data, regulations, file);
    const known = new Set(knownServices);
    const seen = new Set<string>();
    const services: ServiceNorms[] = [];
    for (const [i, s] of parsed.data.services.entries()) {
      const where = `services[${i}] (${s.serviceId})`;
      const refuse = (what: string) => new NormsFileError(`norms file ${file}: ${where}: ${what}`);
      if (!known.has(s.serviceId)) throw refuse('no such service in the catalogue');
      if (seen.has(s.serviceId)) throw refuse('the service is listed twice');
      seen.add(s.serviceId);
      if (s.steps.length === 0 && !s.noNorms) throw refuse('no step norms and no noNorms saying why: a service without norms must say so');
      if (s.steps.length > 0 && s.noNorms) throw refuse('has step norms and also says it has none (noNorms)');
      const steps = new Set<string>();
      const norms: StepNorm[] = [];
      for (const n of s.steps) {
        if (steps.has(n.step)) throw refuse(`step ${n.step} is given twice`);
        steps.add(n.step);
        if (n.min !== null && n.min >= n.max) throw refuse(`step ${n.step}: the lower bound ${n.min} is not below the norm ${n.max}`);
        const wrong = texts && quoteProblem(texts.get(n.source.seed)!, n.source);
        if (wrong) throw refuse(`step ${n.step}: ${wrong}`);
        norms.push({
          step: n.step,
          maxMs: Math.round(n.max * UNIT_MS[n.unit]),
          minMs: n.min === null ? null : Math.round(n.min * UNIT_MS[n.unit]),
          printed: { min: n.min, max: n.max, unit: n.unit },
          source: n.source,
        });
      }
      services.push({ serviceId: s.serviceId, steps: norms, noNorms: s.noNorms });
    }
    const missing = knownServices.filter((id) => !seen.has(id));
    if (missing.length > 0) throw new NormsFileError(`norms file ${file}: service ${missing[0]} of the catalogue has no entry (give its norms or say it has none)`);
    return new Norms(parsed.data.version, services);
  }

  all(): ServiceNorms[] {
    return [...this.byService.values()];
  }

  of(serviceId: string): ServiceNorms | null {
    return this.byService.get(serviceId) ?? null;
  }

  /** The norm of one step of a service, or null (none in its regulation). */
  norm(serviceId: string | null, step: string | null): StepNorm | null {
    if (!serviceId || !step) return null;
    return this.byService.get(serviceId)?.steps.find((n) => n.step === step) ?? null;
  }
}

/** The texts of the seeds the file cites; a seed without its text refuses the file. */
function textsOf(file: z.infer<typeof NormsFile>, regulations: Regulations, name: string): Map<string, RegulationText> {
  const seeds = [...new Set(file.services.flatMap((s) => s.steps.map((n) => n.source.seed)))];
  try {
    return regulations.texts(seeds);
  } catch (e) {
    throw new NormsFileError(`norms file ${name}: ${(e as Error).message}`, { cause: e });
  }
}

/** A norm's quote against its seed's text at the lines it cites ("L258–278"), or null. */
function quoteProblem(text: RegulationText, source: { lines: string; quote: string }): string | null {
  const [from, to = from] = source.lines.slice(1).split(/[–-]/).map(Number) as [number, number?];
  return text.quoteProblem(source.quote, from, to);
}

/** "services[2] (emission-permit-aktobe).steps[1].unit" for an issue's path. */
function entryName(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] === 'services' && typeof path[1] === 'number') {
    const entry = (raw as { services?: { serviceId?: unknown }[] }).services?.[path[1]];
    const id = typeof entry?.serviceId === 'string' ? ` (${entry.serviceId})` : '';
    const rest = path.slice(2).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `services[${path[1]}]${id}${rest}`;
  }
  return path.map(String).join('.') || '(file)';
}
