// Owns finding a text in an execution's whole stored log, so a viewer's search is not limited to the lines it loaded.
import type { ExecutionRecord } from '../core/execution.js';
import type { LogStream } from '../core/log-line.js';
import { visibleText } from '../core/visible-text.js';
import type { Store } from '../store/store.js';
import { stepIndexOf } from './read-log.js';

/** What to look for: a text (matched case-insensitively), optionally within one step (null: outside every step) and stream. */
export interface LogSearchRequest {
  query: string;
  step_id?: number | null | undefined;
  stream?: LogStream | undefined;
  max_matches: number;
}

/** Where a text occurs: offsets within the selection (what log pages are addressed by) and line numbers. */
export interface LogSearchResult {
  execution_id: string;
  query: string;
  offsets: number[];
  lines: number[];
  total_matches: number;
  truncated: boolean;
  searched_lines: number;
}

const PAGE = 10_000;

/** Searches the visible text of every stored line, paging through the store so memory stays flat. */
export async function searchLog(
  store: Store,
  record: ExecutionRecord,
  request: LogSearchRequest,
): Promise<LogSearchResult> {
  const stepIndex = stepIndexOf(await store.listSteps(record.id), record.id, request.step_id);
  const needle = request.query.toLowerCase();
  const offsets: number[] = [];
  const lines: number[] = [];
  let total = 0;
  let offset = 0;
  for (;;) {
    const page = await store.readLogLines(record.id, {
      offset,
      limit: PAGE,
      step_index: stepIndex,
      stream: request.stream,
    });
    page.lines.forEach((line, index) => {
      if (!visibleText(line.content).toLowerCase().includes(needle)) return;
      total += 1;
      if (offsets.length < request.max_matches) {
        offsets.push(offset + index);
        lines.push(line.line);
      }
    });
    offset += page.lines.length;
    if (page.lines.length === 0 || offset >= page.total) break;
  }
  return {
    execution_id: String(record.id),
    query: request.query,
    offsets,
    lines,
    total_matches: total,
    truncated: total > offsets.length,
    searched_lines: offset,
  };
}
