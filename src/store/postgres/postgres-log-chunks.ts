// Owns log_chunks and log_chunk_grams in PostgreSQL: storing sealed chunks with their filters, listing metadata, loading what a read needs.
import type { Kysely } from 'kysely';
import type { LogLine } from '../../core/log-line.js';
import { decodeLogChunk } from '../log-chunks/decode-log-chunk.js';
import { encodeLogChunk } from '../log-chunks/encode-log-chunk.js';
import type { EncodedLogChunk, LogChunkMeta } from '../log-chunks/log-chunk.js';
import type { PgTables } from './postgres-tables.js';

const META_COLUMNS = [
  'first_line',
  'last_line',
  'step_index',
  'stdout_lines',
  'stderr_lines',
  'system_lines',
  'text_chars',
  'codec',
] as const;

/** Chunk storage; every method takes the connection or transaction to run on, so reads share one snapshot. */
export class PostgresLogChunks {
  /** Stores a sealed chunk and its filter; the caller holds the transaction. */
  async insert(db: Kysely<PgTables>, executionId: number, chunk: EncodedLogChunk): Promise<void> {
    const { grams, ...row } = chunk;
    await db
      .insertInto('log_chunks')
      .values({ execution_id: executionId, ...row })
      .execute();
    await db
      .insertInto('log_chunk_grams')
      .values({ execution_id: executionId, last_line: chunk.last_line, grams })
      .execute();
  }

  /** Number of the last sealed line, 0 when none is sealed. */
  async last(db: Kysely<PgTables>, executionId: number): Promise<number> {
    const row = await db
      .selectFrom('log_chunks')
      .select((eb) => eb.fn.max('last_line').as('last'))
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    return row?.last ?? 0;
  }

  /** Metadata of the execution's chunks in line order; `step` narrows to one step (null: outside every step). */
  async metas(db: Kysely<PgTables>, executionId: number, step: number | null | undefined): Promise<LogChunkMeta[]> {
    let query = db.selectFrom('log_chunks').select(META_COLUMNS).where('execution_id', '=', executionId);
    if (step === null) query = query.where('step_index', 'is', null);
    else if (step !== undefined) query = query.where('step_index', '=', step);
    return query.orderBy('last_line', 'asc').execute();
  }

  /** The lines of the chunk ending at `lastLine`. */
  async lines(db: Kysely<PgTables>, executionId: number, lastLine: number): Promise<LogLine[]> {
    const row = await db
      .selectFrom('log_chunks')
      .select(['first_line', 'step_index', 'codec', 'data'])
      .where('execution_id', '=', executionId)
      .where('last_line', '=', lastLine)
      .executeTakeFirst();
    return row === undefined ? [] : decodeLogChunk(row, row.data);
  }

  /** Up to `limit` lines after line `after`, in order, decoding only the chunks that hold them. */
  async linesAfter(db: Kysely<PgTables>, executionId: number, after: number, limit: number): Promise<LogLine[]> {
    const out: LogLine[] = [];
    // A page of 2,000 lines spans at most a few chunks; fetch them a few at a time.
    for (let from = after; out.length < limit;) {
      const rows = await db
        .selectFrom('log_chunks')
        .select(['first_line', 'last_line', 'step_index', 'codec', 'data'])
        .where('execution_id', '=', executionId)
        .where('last_line', '>', from)
        .orderBy('last_line', 'asc')
        .limit(4)
        .execute();
      for (const row of rows) {
        if (out.length >= limit) break;
        out.push(...decodeLogChunk(row, row.data, after + 1, after + limit));
        from = row.last_line;
      }
      if (rows.length < 4) break;
    }
    return out.slice(0, limit);
  }

  /**
   * Deletes sealed lines numbered up to `throughLine`; returns how many. A chunk straddling the boundary is
   * re-sealed with the lines after it, so no line past the boundary is lost. The caller holds the transaction.
   */
  async deleteThrough(db: Kysely<PgTables>, executionId: number, throughLine: number): Promise<number> {
    const straddling = await db
      .selectFrom('log_chunks')
      .select(['first_line', 'last_line'])
      .where('execution_id', '=', executionId)
      .where('last_line', '>', throughLine)
      .where('first_line', '<=', throughLine)
      .executeTakeFirst();
    let removed = 0;
    if (straddling !== undefined) {
      const kept = (await this.lines(db, executionId, straddling.last_line)).filter((line) => line.line > throughLine);
      await this.#deleteRange(db, executionId, '=', straddling.last_line);
      await this.insert(db, executionId, encodeLogChunk(kept));
      removed += throughLine - straddling.first_line + 1;
    }
    const whole = await db
      .deleteFrom('log_chunks')
      .where('execution_id', '=', executionId)
      .where('last_line', '<=', throughLine)
      .returning(['first_line', 'last_line'])
      .execute();
    await db
      .deleteFrom('log_chunk_grams')
      .where('execution_id', '=', executionId)
      .where('last_line', '<=', throughLine)
      .execute();
    return whole.reduce((sum, chunk) => sum + chunk.last_line - chunk.first_line + 1, removed);
  }

  /** Deletes every chunk of the execution. */
  async deleteAll(db: Kysely<PgTables>, executionId: number): Promise<void> {
    await this.#deleteRange(db, executionId, '>', 0);
  }

  async #deleteRange(db: Kysely<PgTables>, executionId: number, op: '=' | '>', lastLine: number): Promise<void> {
    await db
      .deleteFrom('log_chunks')
      .where('execution_id', '=', executionId)
      .where('last_line', op, lastLine)
      .execute();
    await db
      .deleteFrom('log_chunk_grams')
      .where('execution_id', '=', executionId)
      .where('last_line', op, lastLine)
      .execute();
  }
}
