/**
 * The regulations' own text (assets/regulations/NNN.txt, the seed acts as published), against
 * which the catalogue's and the step norms' citations are checked: a quote must appear verbatim at
 * the line it cites, and a cited paragraph's heading must be in that seed, before the cited line.
 *
 * "Verbatim" ignores whitespace only: the published texts wrap lines anywhere ("2 (" / "екі)") and
 * double some spaces, so a quote is compared with the text with every whitespace removed; each
 * character keeps its line number, and a quote must start within WINDOW lines of the cited line
 * (or range).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lines a quote may start away from the line (or range) it cites: the texts wrap unevenly. */
export const WINDOW = 2;

const squeeze = (s: string) => s.replace(/\s+/g, '');

export class RegulationText {
  readonly lines: readonly string[];
  /** The text without whitespace, and where each line's part of it begins. */
  private readonly flat: string;
  private readonly lineStarts: Uint32Array;

  constructor(
    readonly seed: string,
    text: string,
  ) {
    this.lines = text.split('\n');
    const squeezed = this.lines.map(squeeze);
    this.lineStarts = new Uint32Array(squeezed.length);
    let offset = 0;
    squeezed.forEach((l, i) => {
      this.lineStarts[i] = offset;
      offset += l.length;
    });
    this.flat = squeezed.join('');
  }

  /** The line (1-based) of the flat text's character `at`: the last line starting at or before it. */
  private lineOf(at: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The first line in [first, last] where `quote` starts, whitespace ignored: a search of those lines only. */
  private startIn(quote: string, first: number, last: number): number | undefined {
    const lo = Math.max(1, first);
    const hi = Math.min(this.lines.length, last);
    if (lo > hi) return undefined;
    const begin = this.lineStarts[lo - 1]!;
    // The quote may run on past `last`: the search covers its length beyond.
    const at = this.flat.slice(begin, (hi < this.lines.length ? this.lineStarts[hi]! : this.flat.length) + squeeze(quote).length).indexOf(squeeze(quote));
    return at === -1 || this.lineOf(begin + at) > hi ? undefined : this.lineOf(begin + at);
  }

  /** The lines (1-based) where `quote` starts, whitespace ignored. */
  startLines(quote: string): number[] {
    const q = squeeze(quote);
    const out: number[] = [];
    if (!q) return out;
    for (let at = this.flat.indexOf(q); at !== -1; at = this.flat.indexOf(q, at + 1)) out.push(this.lineOf(at));
    return out;
  }

  /**
   * What is wrong with a quote cited at lines [from, to], or null. A quote may leave words out
   * with " … " (two parts of one sentence, as a norm summing two steps quotes them): each part
   * must be verbatim, in the range, in order.
   */
  quoteProblem(quote: string, from: number, to = from): string | null {
    const where = from === to ? `line ${from}` : `lines ${from}–${to}`;
    let after = from - WINDOW;
    for (const part of quote.split(/\s*…\s*/).filter(Boolean)) {
      const at = this.startIn(part, after, to + WINDOW);
      const starts = at === undefined ? this.startLines(part) : [];
      if (at === undefined) {
        return starts.length
          ? `quotes "${part}" at ${where}, but seed ${this.seed} has it at line ${starts.join(', ')}`
          : `quotes "${part}" at ${where}, which seed ${this.seed} does not say`;
      }
      after = at;
    }
    return null;
  }

  /**
   * What is wrong with a paragraph cited at `line`, or null: its heading must be in the seed, and
   * the cited line must follow it with no other numbered paragraph ("N. …") in between. A heading
   * met several times (the same regulation text in two appendices, as seed 003 has) is told apart
   * by the name's ordinal: "Appendix 2, para 4" or "R2 Table 2" is its second occurrence.
   */
  paragraphProblem(name: string, heading: string, line: number): string | null {
    const occurrences = this.startLines(heading);
    if (occurrences.length === 0) return `cites "${name}", whose heading "${heading}" seed ${this.seed} does not have`;
    const ordinal = /^(?:Appendix\s+|R)(\d+)\b/.exec(name)?.[1];
    const at = occurrences.length > 1 && ordinal ? occurrences[Number(ordinal) - 1] : occurrences.filter((h) => h <= line).at(-1);
    if (at === undefined || at > line) return `cites "${name}" at line ${line}, but its heading in seed ${this.seed} is at line ${occurrences.join(', ')}`;
    for (let l = at + 1; l < line; l++) {
      if (/^\s*\d+\.\s+\S/.test(this.lines[l - 1]!)) return `cites "${name}" at line ${line}, but line ${l} starts another paragraph`;
    }
    return null;
  }
}

/**
 * The regulations' texts one start checks against: each seed's text read and indexed once, however
 * many files cite it (the catalogue and the step norms cite the same acts), from the first of
 * `folders` that has NNN.txt (an administrator's folder before the shipped one). The host makes one
 * and hands it to both loaders.
 */
export class Regulations {
  private readonly loaded = new Map<string, RegulationText>();

  constructor(readonly folders: readonly string[]) {}

  /** The texts of `seeds`. Throws naming a seed whose text is in none of the folders. */
  texts(seeds: readonly string[]): Map<string, RegulationText> {
    return new Map(seeds.map((seed) => [seed, this.text(seed)]));
  }

  private text(seed: string): RegulationText {
    const known = this.loaded.get(seed);
    if (known) return known;
    const file = this.folders.map((f) => join(f, `${seed}.txt`)).find((f) => existsSync(f));
    if (!file) throw new Error(`the text of seed ${seed} (${seed}.txt) is in none of: ${this.folders.join(', ')}`);
    const text = new RegulationText(seed, readFileSync(file, 'utf8'));
    this.loaded.set(seed, text);
    return text;
  }
}
