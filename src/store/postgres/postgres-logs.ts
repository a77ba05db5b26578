// Owns an execution's log in PostgreSQL as sealed chunks followed by a live tail of rows: appends, background sealing, and reads across both.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Pool } from 'pg';
import type { LogLine } from '../../core/log-line.js';
import { encodeLogChunk } from '../log-chunks/encode-log-chunk.js';
import { CHUNK_MAX_LINES, countChunkLines } from '../log-chunks/log-chunk.js';
import { LiveTailTracker } from '../log-chunks/live-tail-tracker.js';
import { splitForSealing } from '../log-chunks/split-for-sealing.js';
import type { LogPage, LogQuery } from '../store.js';
import { PostgresLogChunks } from './postgres-log-chunks.js';
import { PostgresLogTail } from './postgres-log-tail.js';
import type { PgTables } from './postgres-tables.js';

/** Advisory lock keys of sealing (one per execution), apart from the migration lock's. */
const SEAL_LOCK_BASE = 0x534c_0000_0000;
/** Logs looked at per backlog call when other servers sealed them first. */
const BACKLOG_ATTEMPTS = 8;

/**
 * Log persistence. Invariant: an execution's chunks hold a contiguous prefix of its lines and the tail (log_lines)
 * holds the lines after the last chunk; a seal moves lines from tail to chunks in one transaction, and multi-query
 * reads run in one REPEATABLE READ snapshot, so a read never sees a line twice or not at all.
 */
export class PostgresLogs {
  readonly #db: Kysely<PgTables>;
  readonly #tail: PostgresLogTail;
  readonly #chunks = new PostgresLogChunks();
  readonly #live = new LiveTailTracker();

  constructor(db: Kysely<PgTables>, pool: Pool) {
    this.#db = db;
    this.#tail = new PostgresLogTail(pool);
  }

  /** Appends the lines to the live tail in one statement; sealing happens later, off this path. */
  async append(executionId: number, lines: readonly LogLine[]): Promise<void> {
    await this.#tail.append(executionId, lines);
    if (lines.length > 0) this.#live.noteAppended(executionId, lines);
  }

  /** Highest stored line number: the tail first, so a seal between the two reads still leaves the line in the chunks. */
  async last(executionId: number): Promise<number> {
    const tail = await this.#tail.last(this.#db, executionId);
    return Math.max(tail, await this.#chunks.last(this.#db, executionId));
  }

  /** One page of the lines matching the query, chunks then tail, in one snapshot. */
  read(executionId: number, query: LogQuery): Promise<LogPage> {
    return this.#db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        if (query.step_index === undefined && query.stream === undefined) {
          // Lines are contiguous from the first kept line, so offset N starts after line N and total is the last line.
          const lines = await this.#chunks.linesAfter(trx, executionId, query.offset, query.limit);
          const after = Math.max(query.offset, lines.at(-1)?.line ?? 0);
          if (lines.length < query.limit)
            lines.push(...(await this.#tail.linesAfter(trx, executionId, after, query.limit - lines.length)));
          const total = Math.max(await this.#tail.last(trx, executionId), await this.#chunks.last(trx, executionId));
          return { lines, total };
        }
        const sealed = await this.#readSealed(trx, executionId, query);
        const tail = await this.#tail.read(trx, executionId, {
          ...query,
          offset: Math.max(0, query.offset - sealed.total),
          limit: query.limit - sealed.lines.length,
        });
        return { lines: [...sealed.lines, ...tail.lines], total: sealed.total + tail.total };
      });
  }

  /** The sealed part of a filtered page, and how many sealed lines match in total. */
  async #readSealed(
    trx: Kysely<PgTables>,
    executionId: number,
    query: LogQuery,
  ): Promise<{ lines: LogLine[]; total: number }> {
    const lines: LogLine[] = [];
    let total = 0;
    for (const meta of await this.#chunks.metas(trx, executionId, query.step_index)) {
      const n = countChunkLines(meta, query.stream);
      if (lines.length < query.limit && n > 0 && total + n > query.offset) {
        const skip = Math.max(0, query.offset - total);
        const matching = (await this.#chunks.lines(trx, executionId, meta.last_line)).filter(
          (line) => query.stream === undefined || line.stream === query.stream,
        );
        lines.push(...matching.slice(skip, skip + query.limit - lines.length));
      }
      total += n;
    }
    return { lines, total };
  }

  /** Seals the whole tail once the log has ended. */
  async seal(executionId: number): Promise<void> {
    this.#live.forget(executionId);
    await this.#sealTail(executionId, Number.MAX_SAFE_INTEGER, true);
  }

  /** Seals complete chunks of live logs appended through this object, up to about `maxLines` lines; returns how many. */
  async sealLive(maxLines: number): Promise<number> {
    for (let id = this.#live.nextReady(); id !== null; id = this.#live.nextReady()) {
      const { sealed, rest, more } = await this.#sealTail(id, maxLines, false);
      this.#live.noteSealed(id, rest, more);
      if (sealed > 0) return sealed;
    }
    return 0;
  }

  /** Seals up to about `maxLines` tail lines of one ended execution (a log stored before chunks, or left by a crash); returns how many. */
  async sealBacklog(maxLines: number): Promise<number> {
    // Another server may be sealing the same log: its lock makes this wait, and then the tail is gone, so look again.
    for (let attempt = 0; attempt < BACKLOG_ATTEMPTS; attempt++) {
      const id = await this.#tail.firstEndedWithTail(this.#db);
      if (id === null) return 0;
      this.#live.forget(id);
      const { sealed } = await this.#sealTail(id, maxLines, true);
      if (sealed > 0) return sealed;
    }
    return 0;
  }

  /** Seals the first `maxLines` (at least a chunk's worth) tail lines in one transaction; `ended` seals a last partial chunk too. */
  async #sealTail(
    executionId: number,
    maxLines: number,
    ended: boolean,
  ): Promise<{ sealed: number; rest: LogLine[]; more: boolean }> {
    return this.#db.transaction().execute(async (trx) => {
      // Servers sealing the same log take turns; appends (lines past what is read) go on meanwhile.
      await sql`SELECT pg_advisory_xact_lock(${SEAL_LOCK_BASE + executionId}::bigint)`.execute(trx);
      const lines = await this.#tail.linesAfter(trx, executionId, 0, Math.max(maxLines, CHUNK_MAX_LINES));
      const more = (await this.#tail.linesAfter(trx, executionId, lines.at(-1)?.line ?? 0, 1)).length > 0;
      const plan = splitForSealing(lines, ended && !more);
      let sealed = 0;
      for (const run of plan.sealed) {
        await this.#chunks.insert(trx, executionId, encodeLogChunk(run));
        sealed += run.length;
      }
      const through = plan.sealed.at(-1)?.at(-1)?.line;
      if (through !== undefined) await this.#tail.deleteThrough(trx, executionId, through);
      return { sealed, rest: plan.rest, more };
    });
  }

  /** Deletes the lines numbered up to `throughLine`, sealed or not; returns how many. */
  deleteThrough(executionId: number, throughLine: number): Promise<number> {
    this.#live.forget(executionId);
    return this.#db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${SEAL_LOCK_BASE + executionId}::bigint)`.execute(trx);
      return (
        (await this.#chunks.deleteThrough(trx, executionId, throughLine)) +
        (await this.#tail.deleteThrough(trx, executionId, throughLine))
      );
    });
  }

  /** Stops scheduling seals of a deleted execution. */
  forget(executionId: number): void {
    this.#live.forget(executionId);
  }
}
