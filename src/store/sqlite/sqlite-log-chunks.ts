// Owns log_chunks and log_chunk_grams in SQLite: storing sealed chunks with their filters, listing metadata, loading what a read needs.
import type { LogLine } from '../../core/log-line.js';
import { decodeLogChunk } from '../log-chunks/decode-log-chunk.js';
import { encodeLogChunk } from '../log-chunks/encode-log-chunk.js';
import type { EncodedLogChunk, LogChunkMeta } from '../log-chunks/log-chunk.js';
import type { SqliteConnection } from './sqlite-connection.js';

const META_COLUMNS = 'first_line, last_line, step_index, stdout_lines, stderr_lines, system_lines, text_chars, codec';

/** Chunk storage over one SQLite connection. */
export class SqliteLogChunks {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  /** Stores a sealed chunk; the caller holds the transaction. */
  insert(executionId: number, chunk: EncodedLogChunk): void {
    this.#sqlite
      .prepare(`INSERT INTO log_chunks (execution_id, ${META_COLUMNS}, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        executionId,
        chunk.first_line,
        chunk.last_line,
        chunk.step_index,
        chunk.stdout_lines,
        chunk.stderr_lines,
        chunk.system_lines,
        chunk.text_chars,
        chunk.codec,
        chunk.data,
      );
    this.#sqlite
      .prepare('INSERT INTO log_chunk_grams (execution_id, last_line, grams) VALUES (?, ?, ?)')
      .run(executionId, chunk.last_line, chunk.grams);
  }

  /** Number of the last sealed line, 0 when none is sealed. */
  last(executionId: number): number {
    const row = this.#sqlite
      .prepare('SELECT MAX(last_line) AS last FROM log_chunks WHERE execution_id = ?')
      .get(executionId) as { last: number | null };
    return row.last ?? 0;
  }

  /** Metadata of the execution's chunks in line order; `step` narrows to one step (null: outside every step). */
  metas(executionId: number, step: number | null | undefined): LogChunkMeta[] {
    if (step === undefined) {
      return this.#sqlite
        .prepare(`SELECT ${META_COLUMNS} FROM log_chunks WHERE execution_id = ? ORDER BY last_line`)
        .all(executionId) as LogChunkMeta[];
    }
    const where = step === null ? 'step_index IS NULL' : 'step_index = ?';
    const params = step === null ? [executionId] : [executionId, step];
    return this.#sqlite
      .prepare(
        `SELECT ${META_COLUMNS} FROM log_chunks INDEXED BY log_chunks_step WHERE execution_id = ? AND ${where} ORDER BY last_line`,
      )
      .all(...params) as LogChunkMeta[];
  }

  /** The lines of the chunk ending at `lastLine`. */
  lines(executionId: number, lastLine: number): LogLine[] {
    const row = this.#sqlite
      .prepare('SELECT first_line, step_index, codec, data FROM log_chunks WHERE execution_id = ? AND last_line = ?')
      .get(executionId, lastLine) as
      (Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'> & { data: Buffer }) | undefined;
    return row === undefined ? [] : decodeLogChunk(row, row.data);
  }

  /** Up to `limit` lines after line `after`, in order, decoding only the chunks that hold them. */
  linesAfter(executionId: number, after: number, limit: number): LogLine[] {
    const out: LogLine[] = [];
    const rows = this.#sqlite
      .prepare(
        'SELECT first_line, step_index, codec, data FROM log_chunks WHERE execution_id = ? AND last_line > ? ORDER BY last_line',
      )
      .iterate(executionId, after) as IterableIterator<
      Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'> & { data: Buffer }
    >;
    for (const row of rows) {
      out.push(...decodeLogChunk(row, row.data, after + 1, after + limit));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Deletes sealed lines numbered up to `throughLine`; returns how many. A chunk straddling the boundary is
   * re-sealed with the lines after it, so no line past the boundary is lost.
   */
  deleteThrough(executionId: number, throughLine: number): number {
    const straddling = this.#sqlite
      .prepare(`SELECT ${META_COLUMNS} FROM log_chunks WHERE execution_id = ? AND last_line > ? AND first_line <= ?`)
      .get(executionId, throughLine, throughLine) as LogChunkMeta | undefined;
    let removed = 0;
    if (straddling !== undefined) {
      const kept = this.lines(executionId, straddling.last_line).filter((line) => line.line > throughLine);
      this.#sqlite
        .prepare('DELETE FROM log_chunks WHERE execution_id = ? AND last_line = ?')
        .run(executionId, straddling.last_line);
      this.#sqlite
        .prepare('DELETE FROM log_chunk_grams WHERE execution_id = ? AND last_line = ?')
        .run(executionId, straddling.last_line);
      this.insert(executionId, encodeLogChunk(kept));
      removed += throughLine - straddling.first_line + 1;
    }
    const whole = this.#sqlite
      .prepare(
        'SELECT COALESCE(SUM(last_line - first_line + 1), 0) AS n FROM log_chunks WHERE execution_id = ? AND last_line <= ?',
      )
      .get(executionId, throughLine) as { n: number };
    this.#sqlite
      .prepare('DELETE FROM log_chunks WHERE execution_id = ? AND last_line <= ?')
      .run(executionId, throughLine);
    this.#sqlite
      .prepare('DELETE FROM log_chunk_grams WHERE execution_id = ? AND last_line <= ?')
      .run(executionId, throughLine);
    return removed + whole.n;
  }

  /** Deletes every chunk of the execution. */
  deleteAll(executionId: number): void {
    this.#sqlite.prepare('DELETE FROM log_chunks WHERE execution_id = ?').run(executionId);
    this.#sqlite.prepare('DELETE FROM log_chunk_grams WHERE execution_id = ?').run(executionId);
  }
}
