// Owns the search scan over one SQLite connection: candidate executions newest first, chunks skipped by their trigram filter.
import type BetterSqlite3 from 'better-sqlite3';
import type { LogLine } from '../../core/log-line.js';
import { createLineMatcher } from '../log-chunks/create-line-matcher.js';
import { decodeLogChunk } from '../log-chunks/decode-log-chunk.js';
import { filterMayContain } from '../log-chunks/gram-filter.js';
import type { LogChunkMeta } from '../log-chunks/log-chunk.js';
import { ExecutionMatches, type SearchScanMessage } from '../log-chunks/search-scan.js';
import type { LogSearchQuery } from '../store.js';
import { toLogLine } from '../row-mappers.js';
import type { LogLinesRow } from '../table-rows.js';

const TAIL_WINDOW = 512;

/** The query's candidate execution ids, newest first. */
function candidateIds(db: BetterSqlite3.Database, query: Omit<LogSearchQuery, 'budget_ms'>): number[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (query.status !== undefined) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.since !== undefined) {
    where.push('created_at >= ?');
    params.push(query.since);
  }
  if (query.until !== undefined) {
    where.push('created_at < ?');
    params.push(query.until);
  }
  if (query.before_id !== undefined) {
    where.push('id < ?');
    params.push(query.before_id);
  }
  if (query.name !== undefined) {
    where.push("name LIKE ? ESCAPE '\\'");
    params.push(`%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  const sql = `SELECT id FROM executions${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
  return db
    .prepare(sql)
    .pluck()
    .all(...params) as number[];
}

/** The statements a scan runs for each execution. */
interface ScanStatements {
  filters: BetterSqlite3.Statement;
  chunk: BetterSqlite3.Statement;
  tail: BetterSqlite3.Statement;
}

function prepareScan(db: BetterSqlite3.Database): ScanStatements {
  return {
    filters: db.prepare('SELECT last_line, grams FROM log_chunk_grams WHERE execution_id = ? ORDER BY last_line'),
    chunk: db.prepare(
      'SELECT first_line, step_index, codec, data FROM log_chunks WHERE execution_id = ? AND last_line = ?',
    ),
    tail: db.prepare(
      'SELECT line, ts, stream, step_index, content FROM log_lines WHERE execution_id = ? AND line > ? ORDER BY line LIMIT ?',
    ),
  };
}

/** Scans one execution's chunks (those its filters allow, and neighbours a match needs as context), then its tail. */
function scanExecution(
  statements: ScanStatements,
  id: number,
  found: ExecutionMatches,
  progress: { searched_chunks: number; skipped_chunks: number },
): void {
  const load = (lastLine: number): LogLine[] => {
    const row = statements.chunk.get(id, lastLine) as
      (Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'> & { data: Buffer }) | undefined;
    return row === undefined ? [] : decodeLogChunk(row, row.data);
  };
  // The chunk skipped just before the one being read: read too only if a match needs its lines as context.
  let skipped: number | null = null;
  const scan = (lines: LogLine[]): void => {
    if (skipped !== null && found.needsBefore(lines)) found.precede(load(skipped));
    skipped = null;
    found.scan(lines);
  };
  const hashes = found.matcher.needleHashes;
  for (const filter of statements.filters.all(id) as { last_line: number; grams: Buffer }[]) {
    if (found.full) return;
    if (hashes !== null && !filterMayContain(filter.grams, hashes) && !found.wantsNext) {
      progress.skipped_chunks++;
      skipped = filter.last_line;
      continue;
    }
    progress.searched_chunks++;
    scan(load(filter.last_line));
  }
  for (let after = 0; !found.full;) {
    const rows = (statements.tail.all(id, after, TAIL_WINDOW) as LogLinesRow[]).map(toLogLine);
    scan(rows);
    if (rows.length < TAIL_WINDOW) return;
    after = (rows.at(-1) as LogLine).line;
  }
}

/** Runs the scan synchronously, reporting through `emit`; `limit` matching executions end it early. */
export function scanLogsForSearch(
  db: BetterSqlite3.Database,
  query: Omit<LogSearchQuery, 'budget_ms'>,
  emit: (message: SearchScanMessage) => void,
): void {
  const matcher = createLineMatcher(query.text, query.regex);
  const statements = prepareScan(db);
  const ids = candidateIds(db, query);
  const progress = { searched_executions: 0, searched_chunks: 0, skipped_chunks: 0 };
  let hits = 0;
  for (const [index, id] of ids.entries()) {
    const found = new ExecutionMatches(matcher, query.matches_per_execution, query.context);
    scanExecution(statements, id, found, progress);
    progress.searched_executions++;
    if (found.count > 0) {
      hits++;
      emit({ kind: 'hit', execution_id: id, match_count: found.count, more: found.full, matches: found.matches });
    }
    emit({ kind: 'progress', last_id: id, ...progress });
    if (hits >= query.limit) {
      emit({ kind: 'done', next_before_id: index + 1 < ids.length ? id : null });
      return;
    }
  }
  emit({ kind: 'done', next_before_id: null });
}
