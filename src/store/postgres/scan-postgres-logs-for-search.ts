// Owns the search scan over one PostgreSQL connection: candidate executions newest first, chunks skipped by their trigram filter.
import type pg from 'pg';
import type { LogLine } from '../../core/log-line.js';
import { createLineMatcher } from '../log-chunks/create-line-matcher.js';
import { decodeLogChunk } from '../log-chunks/decode-log-chunk.js';
import { filterMayContain } from '../log-chunks/gram-filter.js';
import { ExecutionMatches, type SearchScanMessage } from '../log-chunks/search-scan.js';
import type { LogSearchQuery } from '../store.js';
import { toPgLogLine } from './postgres-row-mappers.js';
import type { PgLogLinesTable } from './postgres-tables.js';

const TAIL_WINDOW = 512;

/** The query's candidate execution ids, newest first. */
async function candidateIds(client: pg.Client, query: Omit<LogSearchQuery, 'budget_ms'>): Promise<number[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (condition: string, value: string | number): void => {
    params.push(value);
    where.push(condition.replace('?', `$${params.length}`));
  };
  if (query.status !== undefined) add('status = ?', query.status);
  if (query.since !== undefined) add('created_at >= ?', query.since);
  if (query.until !== undefined) add('created_at < ?', query.until);
  if (query.before_id !== undefined) add('id < ?', query.before_id);
  if (query.name !== undefined) add("name ILIKE ? ESCAPE '\\'", `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const text = `SELECT id FROM executions${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
  return (await client.query<{ id: number }>(text, params)).rows.map((row) => row.id);
}

/** The lines of the execution's chunk ending at `lastLine`. */
async function loadChunk(client: pg.Client, id: number, lastLine: number): Promise<LogLine[]> {
  const chunk = await client.query<{ first_line: number; step_index: number | null; codec: number; data: Buffer }>(
    'SELECT first_line, step_index, codec, data FROM log_chunks WHERE execution_id = $1 AND last_line = $2',
    [id, lastLine],
  );
  const row = chunk.rows[0];
  return row === undefined ? [] : decodeLogChunk(row, row.data);
}

/** Scans one execution's chunks (those its filters allow) and then its tail. */
async function scanExecution(
  client: pg.Client,
  id: number,
  found: ExecutionMatches,
  progress: { searched_chunks: number; skipped_chunks: number },
): Promise<void> {
  const filters = await client.query<{ last_line: number; grams: Buffer }>(
    'SELECT last_line, grams FROM log_chunk_grams WHERE execution_id = $1 ORDER BY last_line',
    [id],
  );
  const load = (lastLine: number): Promise<LogLine[]> => loadChunk(client, id, lastLine);
  // The chunk skipped just before the one being read: read too only if a match needs its lines as context.
  let skipped: number | null = null;
  const scan = async (lines: LogLine[]): Promise<void> => {
    if (skipped !== null && found.needsBefore(lines)) found.precede(await load(skipped));
    skipped = null;
    found.scan(lines);
  };
  for (const filter of filters.rows) {
    if (found.full) return;
    const hashes = found.matcher.needleHashes;
    if (hashes !== null && !filterMayContain(filter.grams, hashes) && !found.wantsNext) {
      progress.skipped_chunks++;
      skipped = filter.last_line;
      continue;
    }
    progress.searched_chunks++;
    await scan(await load(filter.last_line));
  }
  for (let after = 0; !found.full;) {
    const tail = await client.query<PgLogLinesTable>(
      'SELECT line, ts, stream, step_index, content, escaped FROM log_lines WHERE execution_id = $1 AND line > $2 ORDER BY line LIMIT $3',
      [id, after, TAIL_WINDOW],
    );
    const rows = tail.rows.map(toPgLogLine);
    await scan(rows);
    if (rows.length < TAIL_WINDOW) return;
    after = (rows.at(-1) as LogLine).line;
  }
}

/** Runs the scan in one REPEATABLE READ snapshot, reporting through `emit`; `limit` matching executions end it early. */
export async function scanPostgresLogsForSearch(
  client: pg.Client,
  query: Omit<LogSearchQuery, 'budget_ms'>,
  emit: (message: SearchScanMessage) => void,
): Promise<void> {
  const matcher = createLineMatcher(query.text, query.regex);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const ids = await candidateIds(client, query);
  const progress = { searched_executions: 0, searched_chunks: 0, skipped_chunks: 0 };
  let hits = 0;
  for (const [index, id] of ids.entries()) {
    const found = new ExecutionMatches(matcher, query.matches_per_execution, query.context);
    await scanExecution(client, id, found, progress);
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
