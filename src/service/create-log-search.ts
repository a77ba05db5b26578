// Owns the cross-run log search use case: validates the request, bounds concurrent searches, maps hits to the wire.
import { AppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import type { ExecutionStatus } from '../core/execution.js';
import type { LogLine } from '../core/log-line.js';
import type { WireLogLine, WireSearchHit, WireSearchPage } from '../core/wire-types.js';
import type { LogSearchExecutionHit, Store } from '../store/store.js';
import { toWireExecution, toWireLogLine } from './to-wire.js';

/** A search as the transports pass it; times are epoch ms. */
export interface LogSearchRequest {
  q: string;
  regex: boolean;
  status?: ExecutionStatus | undefined;
  since?: number | undefined;
  until?: number | undefined;
  name?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The search service. */
export interface LogSearch {
  search(request: LogSearchRequest): Promise<WireSearchPage>;
}

/** Wall-clock budget of one search; a pattern that needs longer returns what it found with `partial`. */
export const SEARCH_BUDGET_MS = 5_000;
const MAX_CONCURRENT_SEARCHES = 2;
const MATCHES_PER_EXECUTION = 5;
const CONTEXT_LINES = 2;

/** Throws validation_failed naming `q` when a regular expression does not compile. */
function checkPattern(q: string): void {
  try {
    new RegExp(q, 'i');
  } catch (error) {
    throw new AppError('validation_failed', `q: not a valid regular expression (${(error as Error).message})`, 'q');
  }
}

/** Reads an opaque cursor (the id searching continues below). */
function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(cursor))
    throw new AppError('validation_failed', 'cursor: not a cursor this server returned', 'cursor');
  return Number(cursor);
}

/** Creates the search over the store; at most two searches run at once (each holds a worker thread). */
export function createLogSearch(store: Store, clock: Clock, budgetMs: number = SEARCH_BUDGET_MS): LogSearch {
  let running = 0;

  async function toWireHit(hit: LogSearchExecutionHit): Promise<WireSearchHit> {
    const steps = await store.listSteps(hit.execution.id);
    const ids = new Map(steps.map((step) => [step.index, step.id]));
    const names = new Map(steps.map((step) => [step.index, step.name]));
    const wire = (line: LogLine): WireLogLine => toWireLogLine(line, ids);
    return {
      execution: toWireExecution(hit.execution, clock.now()),
      match_count: hit.match_count,
      more_matches: hit.more,
      matches: hit.matches.map((m) => ({
        line: wire(m.line),
        step_name: m.line.step_index === null ? null : (names.get(m.line.step_index) ?? null),
        before: m.before.map(wire),
        after: m.after.map(wire),
      })),
    };
  }

  return {
    async search(request) {
      if (request.regex) checkPattern(request.q);
      const beforeId = parseCursor(request.cursor);
      if (running >= MAX_CONCURRENT_SEARCHES)
        throw new AppError('rate_limited', 'two log searches are already running; retry shortly');
      running++;
      try {
        const page = await store.searchLogs({
          text: request.q,
          regex: request.regex,
          status: request.status,
          since: request.since,
          until: request.until,
          name: request.name,
          limit: request.limit,
          before_id: beforeId,
          matches_per_execution: MATCHES_PER_EXECUTION,
          context: CONTEXT_LINES,
          budget_ms: budgetMs,
        });
        return {
          query: request.q,
          regex: request.regex,
          executions: await Promise.all(page.executions.map(toWireHit)),
          next_cursor: page.next_before_id === null ? null : String(page.next_before_id),
          partial: page.partial,
          searched_executions: page.searched_executions,
          searched_chunks: page.searched_chunks,
          skipped_chunks: page.skipped_chunks,
        };
      } finally {
        running--;
      }
    },
  };
}
