// Owns what every store's search scan shares: the messages a scan worker sends, and counting one execution's matches.
import type { LogLine } from '../../core/log-line.js';
import type { LogSearchMatch } from '../store.js';
import type { LineMatcher } from './create-line-matcher.js';

/** Matching lines counted per execution before the count stops (a common word must not decode a whole huge log). */
export const SEARCH_COUNT_CAP = 1_000;

/** What a scan reports, in order: a hit per matching execution, progress after each execution, then done. */
export type SearchScanMessage =
  | { kind: 'hit'; execution_id: number; match_count: number; more: boolean; matches: LogSearchMatch[] }
  | { kind: 'progress'; last_id: number; searched_executions: number; searched_chunks: number; skipped_chunks: number }
  | { kind: 'done'; next_before_id: number | null };

/**
 * Counts and keeps matches of one execution's lines, window by window in line order. Context crosses windows:
 * lines before a match come from the previous window when it ended just before, and a match near a window's end
 * takes its lines after from the next one. A window after a skipped chunk asks for that chunk (needsBefore), and
 * while a match waits for lines after it the next chunk is read whatever its filter says (wantsNext), so context
 * does not depend on where chunks were cut.
 */
export class ExecutionMatches {
  count = 0;
  readonly matches: LogSearchMatch[] = [];
  /** The last `context` lines of the previous window. */
  #last: readonly LogLine[] = [];
  /** Kept matches whose lines after were cut short by the end of their window. */
  #waiting: LogSearchMatch[] = [];

  constructor(
    readonly matcher: LineMatcher,
    readonly keep: number,
    readonly context: number,
  ) {}

  /** True once the count reached SEARCH_COUNT_CAP. */
  get full(): boolean {
    return this.count >= SEARCH_COUNT_CAP;
  }

  /** True while a kept match still lacks lines after it: the next chunk must be read even if its filter rules it out. */
  get wantsNext(): boolean {
    return this.#waiting.length > 0;
  }

  /** True when a match among the window's first lines would lack lines before it (the chunk before was not read). */
  needsBefore(lines: readonly LogLine[]): boolean {
    const first = lines[0];
    if (first === undefined || this.context === 0 || this.#continues(first)) return false;
    return lines.slice(0, this.context).some((line) => this.matcher.matches(line.content));
  }

  /** Takes the lines just before the next window as context only (the chunk its filter skipped). */
  precede(lines: readonly LogLine[]): void {
    this.#last = lines.slice(Math.max(0, lines.length - this.context));
  }

  /** Matches a window of consecutive lines, following the previous window or not. */
  scan(lines: readonly LogLine[]): void {
    const first = lines[0];
    if (first === undefined) return;
    const previous = this.#continues(first) ? this.#last : [];
    this.#fillWaiting(lines, first);
    for (let i = 0; i < lines.length && !this.full; i++) {
      const line = lines[i] as LogLine;
      if (!this.matcher.matches(line.content)) continue;
      this.count++;
      if (this.matches.length >= this.keep) continue;
      const before =
        i >= this.context ? lines.slice(i - this.context, i) : [...previous, ...lines.slice(0, i)].slice(-this.context);
      const match = { line, before: this.context === 0 ? [] : before, after: lines.slice(i + 1, i + 1 + this.context) };
      this.matches.push(match);
      if (match.after.length < this.context) this.#waiting.push(match);
    }
    const joined = previous.length > 0 && lines.length < this.context ? [...previous, ...lines] : lines;
    this.#last = joined.slice(Math.max(0, joined.length - this.context));
  }

  #continues(first: LogLine): boolean {
    return this.#last.at(-1)?.line === first.line - 1;
  }

  /** Gives waiting matches the window's first lines when it follows them; a window that does not ends the wait. */
  #fillWaiting(lines: readonly LogLine[], first: LogLine): void {
    const still: LogSearchMatch[] = [];
    for (const match of this.#waiting) {
      if ((match.after.at(-1) ?? match.line).line !== first.line - 1) continue;
      match.after.push(...lines.slice(0, this.context - match.after.length));
      if (match.after.length < this.context) still.push(match);
    }
    this.#waiting = still;
  }
}
