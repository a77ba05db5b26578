// Owns an execution's log in SQLite as sealed chunks followed by a live tail of rows: appends that seal, and reads across both.
import type { LogLine } from '../../core/log-line.js';
import { encodeLogChunk } from '../log-chunks/encode-log-chunk.js';
import { CHUNK_MAX_LINES, countChunkLines, type LogChunkMeta } from '../log-chunks/log-chunk.js';
import { completesChunk, splitForSealing } from '../log-chunks/split-for-sealing.js';
import type { LogPage, LogQuery } from '../store.js';
import { SqliteLogChunks } from './sqlite-log-chunks.js';
import { SqliteLogTail } from './sqlite-log-tail.js';
import type { SqliteConnection } from './sqlite-connection.js';

/** The unsealed lines of a live log, mirrored from log_lines. */
interface LiveTail {
  lines: LogLine[];
  chars: number;
}

function toLiveTail(lines: LogLine[]): LiveTail {
  return { lines, chars: lines.reduce((sum, line) => sum + line.content.length, 0) };
}

/**
 * Log persistence. Invariant: an execution's chunks hold a contiguous prefix of its lines and the tail (log_lines)
 * holds the lines after the last chunk, so every read is "chunks, then tail". Databases from before chunks are
 * that shape with no chunks, and the backlog sealer moves them over a bounded batch at a time.
 */
export class SqliteLogs {
  readonly #sqlite: SqliteConnection;
  readonly #tail: SqliteLogTail;
  readonly #chunks: SqliteLogChunks;
  /** Tails of logs being appended to (at most one chunk each), so sealing never reads back what it just wrote. */
  readonly #tails = new Map<number, LiveTail>();

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
    this.#tail = new SqliteLogTail(sqlite);
    this.#chunks = new SqliteLogChunks(sqlite);
  }

  /** Appends the lines in one transaction, sealing every chunk they complete. */
  append(executionId: number, lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    try {
      const next = this.#sqlite.transaction(() => this.#appendInTransaction(executionId, lines));
      this.#tails.set(executionId, next);
    } catch (error) {
      this.#tails.delete(executionId);
      throw error;
    }
  }

  #appendInTransaction(executionId: number, lines: readonly LogLine[]): LiveTail {
    const tail = this.#tails.get(executionId) ?? toLiveTail(this.#tail.linesAfter(executionId, 0, Number.MAX_SAFE_INTEGER));
    const last = tail.lines.at(-1);
    if (!completesChunk(tail.lines.length, tail.chars, last === undefined ? undefined : last.step_index, lines)) {
      this.#tail.insert(executionId, lines);
      return { lines: [...tail.lines, ...lines], chars: lines.reduce((sum, line) => sum + line.content.length, tail.chars) };
    }
    const plan = splitForSealing([...tail.lines, ...lines], false);
    this.#storeSealed(executionId, plan.sealed);
    const tailLast = last?.line ?? 0;
    this.#tail.insert(executionId, plan.rest.filter((line) => line.line > tailLast));
    return toLiveTail(plan.rest);
  }

  /** Stores sealed runs as chunks and removes their lines from the tail. */
  #storeSealed(executionId: number, runs: readonly LogLine[][]): number {
    let sealed = 0;
    for (const run of runs) {
      this.#chunks.insert(executionId, encodeLogChunk(run));
      sealed += run.length;
    }
    const through = runs.at(-1)?.at(-1)?.line;
    if (through !== undefined) this.#tail.deleteThrough(executionId, through);
    return sealed;
  }

  /** Seals the whole tail once the log has ended (a live log's tail is at most one chunk). */
  seal(executionId: number): void {
    this.#tails.delete(executionId);
    this.#sqlite.transaction(() => this.#storeSealed(executionId, splitForSealing(this.#tail.linesAfter(executionId, 0, Number.MAX_SAFE_INTEGER), true).sealed));
  }

  /** Seals up to `maxLines` tail lines of one ended execution (a log stored before chunks, or left by a crash); returns how many. */
  sealBacklog(maxLines: number): number {
    const id = this.#tail.firstEndedWithTail();
    if (id === null) return 0;
    this.#tails.delete(id);
    return this.#sqlite.transaction(() => {
      // At least one chunk's worth, or a log longer than the batch would never complete a chunk.
      const lines = this.#tail.linesAfter(id, 0, Math.max(maxLines, CHUNK_MAX_LINES));
      const more = this.#tail.linesAfter(id, lines.at(-1)?.line ?? 0, 1).length > 0;
      return this.#storeSealed(id, splitForSealing(lines, !more).sealed);
    });
  }

  /** Highest stored line number of the execution, 0 when none. */
  last(executionId: number): number {
    return Math.max(this.#tail.last(executionId), this.#chunks.last(executionId));
  }

  /** One page of the lines matching the query: chunk metadata says which chunks to decode, then the tail follows. */
  read(executionId: number, query: LogQuery): LogPage {
    if (query.step_index === undefined && query.stream === undefined) {
      // Lines are contiguous from the first kept line, so offset N starts after line N and total is the last line.
      const lines = this.#chunks.linesAfter(executionId, query.offset, query.limit);
      const after = Math.max(query.offset, lines.at(-1)?.line ?? 0);
      if (lines.length < query.limit) lines.push(...this.#tail.linesAfter(executionId, after, query.limit - lines.length));
      return { lines, total: this.last(executionId) };
    }
    const { lines, sealedTotal } = this.#readSealed(executionId, query);
    const tail = this.#tail.read(executionId, { ...query, offset: Math.max(0, query.offset - sealedTotal), limit: query.limit - lines.length });
    return { lines: [...lines, ...tail.lines], total: sealedTotal + tail.total };
  }

  /** The sealed part of a filtered page, and how many sealed lines match in total. */
  #readSealed(executionId: number, query: LogQuery): { lines: LogLine[]; sealedTotal: number } {
    const wanted: { meta: LogChunkMeta; skip: number }[] = [];
    let total = 0;
    let planned = 0;
    for (const meta of this.#chunks.metas(executionId, query.step_index)) {
      const n = countChunkLines(meta, query.stream);
      if (planned < query.limit && n > 0 && total + n > query.offset) {
        const skip = Math.max(0, query.offset - total);
        wanted.push({ meta, skip });
        planned += n - skip;
      }
      total += n;
    }
    const lines: LogLine[] = [];
    for (const { meta, skip } of wanted) {
      const matching = this.#chunks.lines(executionId, meta.last_line).filter((line) => query.stream === undefined || line.stream === query.stream);
      lines.push(...matching.slice(skip, skip + query.limit - lines.length));
    }
    return { lines, sealedTotal: total };
  }

  /** Deletes the lines numbered up to `throughLine`, sealed or not; returns how many. */
  deleteThrough(executionId: number, throughLine: number): number {
    this.#tails.delete(executionId);
    return this.#sqlite.transaction(() => this.#chunks.deleteThrough(executionId, throughLine) + this.#tail.deleteThrough(executionId, throughLine));
  }

  /** Removes every line of the execution (the caller holds the transaction). */
  deleteAll(executionId: number): void {
    this.#tails.delete(executionId);
    this.#chunks.deleteAll(executionId);
    this.#tail.deleteThrough(executionId, Number.MAX_SAFE_INTEGER);
  }
}
