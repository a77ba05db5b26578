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

/** Counts and keeps matches of one execution's lines, window by window. */
export class ExecutionMatches {
  count = 0;
  readonly matches: LogSearchMatch[] = [];
  constructor(
    readonly matcher: LineMatcher,
    readonly keep: number,
    readonly context: number,
  ) {}

  /** True once the count reached SEARCH_COUNT_CAP. */
  get full(): boolean {
    return this.count >= SEARCH_COUNT_CAP;
  }

  /** Matches a window of consecutive lines; context never reaches past the window. */
  scan(lines: readonly LogLine[]): void {
    for (let i = 0; i < lines.length && !this.full; i++) {
      const line = lines[i] as LogLine;
      if (!this.matcher.matches(line.content)) continue;
      this.count++;
      if (this.matches.length < this.keep)
        this.matches.push({
          line,
          before: lines.slice(Math.max(0, i - this.context), i),
          after: lines.slice(i + 1, i + 1 + this.context),
        });
    }
  }
}
