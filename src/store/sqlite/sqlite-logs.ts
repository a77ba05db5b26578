// Owns an execution's log in SQLite as sealed chunks followed by a live tail of rows: appends, background sealing, and reads across both.
import type { LogLine } from '../../core/log-line.js';
import { encodeLogChunk } from '../log-chunks/encode-log-chunk.js';
import { CHUNK_MAX_CHARS, CHUNK_MAX_LINES, countChunkLines, type LogChunkMeta } from '../log-chunks/log-chunk.js';
import { LiveTailCache } from '../log-chunks/live-tail-cache.js';
import { LiveTailTracker } from '../log-chunks/live-tail-tracker.js';
import { splitForSealing } from '../log-chunks/split-for-sealing.js';
import type { LogPage, LogQuery } from '../store.js';
import { SqliteLogChunks } from './sqlite-log-chunks.js';
import { SqliteLogTail } from './sqlite-log-tail.js';
import type { SqliteConnection } from './sqlite-connection.js';

/**
 * Log persistence. Invariant: an execution's chunks hold a contiguous prefix of its lines and the tail (log_lines)
 * holds the lines after the last chunk, so every read is "chunks, then tail". Databases from before chunks are
 * that shape with no chunks, and the backlog sealer moves them over a bounded batch at a time.
 */
export class SqliteLogs {
  readonly #sqlite: SqliteConnection;
  readonly #tail: SqliteLogTail;
  readonly #chunks: SqliteLogChunks;
  readonly #live = new LiveTailTracker();
  readonly #known = new LiveTailCache();

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
    this.#tail = new SqliteLogTail(sqlite);
    this.#chunks = new SqliteLogChunks(sqlite);
  }

  /**
   * Appends the lines in one transaction. When the tail is known in memory (always, for a log appended through
   * this object from its start), the chunks the batch completes are sealed from memory and only the lines after
   * them are written as rows: no row is written, read back and deleted for a sealed line. Otherwise the lines go
   * to the tail rows and the background sealer seals them (sealLive).
   */
  append(executionId: number, lines: readonly LogLine[]): void {
    const first = lines[0];
    const last = lines.at(-1);
    if (first === undefined || last === undefined) return;
    let rest: readonly LogLine[] | { extend: readonly LogLine[] } | null;
    try {
      rest = this.#sqlite.transaction(() => {
        const known = this.#knownTail(executionId, first.line);
        if (known === null) {
          this.#tail.insert(executionId, lines);
          return null;
        }
        // A small batch that can complete no chunk is only written as rows: no split of the tail it continues.
        if (sealsNothing(known, this.#known.chars(executionId), lines)) {
          this.#tail.insert(executionId, lines);
          return { extend: known };
        }
        return this.#appendSealing(executionId, known, lines);
      });
    } catch (error) {
      this.#known.forget(executionId);
      throw error;
    }
    if (rest === null) this.#live.noteAppended(executionId, lines);
    else if ('extend' in rest) this.#known.extend(executionId, rest.extend, lines, last.line + 1);
    else this.#known.set(executionId, rest, last.line + 1);
  }

  /** The tail's lines from memory, or read once from the rows when short; null when it is left to the rows. */
  #knownTail(executionId: number, firstLine: number): readonly LogLine[] | null {
    const cached = this.#known.get(executionId, firstLine);
    if (cached === 'rows') return null;
    if (cached !== undefined) return cached;
    const rows = this.#tail.linesAfter(executionId, 0, CHUNK_MAX_LINES + 1);
    const next = (rows.at(-1)?.line ?? this.#chunks.last(executionId)) + 1;
    if (rows.length <= CHUNK_MAX_LINES && next === firstLine) return rows;
    if (rows.length > CHUNK_MAX_LINES) this.#live.noteReady(executionId);
    this.#known.leaveToRows(executionId);
    return null;
  }

  /** Seals the chunks that the known tail and the batch complete, and writes the batch's other lines as rows; returns the new tail. */
  #appendSealing(executionId: number, known: readonly LogLine[], lines: readonly LogLine[]): LogLine[] {
    const plan = splitForSealing(known.length === 0 ? lines : [...known, ...lines], false, true);
    const through = plan.sealed.at(-1)?.at(-1)?.line;
    if (through === undefined) {
      this.#tail.insert(executionId, lines);
      return plan.rest;
    }
    for (const run of plan.sealed) this.#chunks.insert(executionId, encodeLogChunk(run));
    const firstKnown = known[0];
    if (firstKnown !== undefined && firstKnown.line <= through) this.#tail.deleteThrough(executionId, through);
    this.#tail.insert(
      executionId,
      lines.filter((line) => line.line > through),
    );
    return plan.rest;
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

  /** Seals the whole tail once the log has ended. */
  seal(executionId: number): void {
    this.forget(executionId);
    this.#sqlite.transaction(() =>
      this.#storeSealed(
        executionId,
        splitForSealing(this.#tail.linesAfter(executionId, 0, Number.MAX_SAFE_INTEGER), true).sealed,
      ),
    );
  }

  /** Seals complete chunks of live logs appended through this object, up to about `maxLines` lines; returns how many. */
  sealLive(maxLines: number): number {
    for (let id = this.#live.nextReady(); id !== null; id = this.#live.nextReady()) {
      const { sealed, rest, more } = this.#sealTail(id, maxLines, false);
      this.#live.noteSealed(id, rest, more);
      if (sealed > 0) return sealed;
    }
    return 0;
  }

  /** Seals up to about `maxLines` tail lines of one ended execution (a log stored before chunks, or left by a crash); returns how many. */
  sealBacklog(maxLines: number): number {
    const id = this.#tail.firstEndedWithTail();
    if (id === null) return 0;
    this.forget(id);
    return this.#sealTail(id, maxLines, true).sealed;
  }

  /** Seals the first `maxLines` (at least a chunk's worth, so a long log always completes one) tail lines in one transaction. */
  #sealTail(executionId: number, maxLines: number, ended: boolean): { sealed: number; rest: LogLine[]; more: boolean } {
    // The tail changes here, so a copy in memory is read again on the next append.
    this.#known.forget(executionId);
    return this.#sqlite.transaction(() => {
      const lines = this.#tail.linesAfter(executionId, 0, Math.max(maxLines, CHUNK_MAX_LINES));
      const more = this.#tail.linesAfter(executionId, lines.at(-1)?.line ?? 0, 1).length > 0;
      const plan = splitForSealing(lines, ended && !more);
      return { sealed: this.#storeSealed(executionId, plan.sealed), rest: plan.rest, more };
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
      if (lines.length < query.limit)
        lines.push(...this.#tail.linesAfter(executionId, after, query.limit - lines.length));
      return { lines, total: this.last(executionId) };
    }
    const { lines, sealedTotal } = this.#readSealed(executionId, query);
    const tail = this.#tail.read(executionId, {
      ...query,
      offset: Math.max(0, query.offset - sealedTotal),
      limit: query.limit - lines.length,
    });
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
      const matching = this.#chunks
        .lines(executionId, meta.last_line)
        .filter((line) => query.stream === undefined || line.stream === query.stream);
      lines.push(...matching.slice(skip, skip + query.limit - lines.length));
    }
    return { lines, sealedTotal: total };
  }

  /** Deletes the lines numbered up to `throughLine`, sealed or not; returns how many. */
  deleteThrough(executionId: number, throughLine: number): number {
    this.forget(executionId);
    return this.#sqlite.transaction(
      () => this.#chunks.deleteThrough(executionId, throughLine) + this.#tail.deleteThrough(executionId, throughLine),
    );
  }

  /** Removes every line of the execution (the caller holds the transaction). */
  deleteAll(executionId: number): void {
    this.forget(executionId);
    this.#chunks.deleteAll(executionId);
    this.#tail.deleteThrough(executionId, Number.MAX_SAFE_INTEGER);
  }

  /** Forgets what is known in memory of the execution's tail (its log was sealed, cut or deleted). */
  forget(executionId: number): void {
    this.#live.forget(executionId);
    this.#known.forget(executionId);
  }
}

/**
 * True when appending `lines` to the known tail (`tailChars` characters) cannot seal anything, even eagerly: no step
 * changes and the tail stays under half a chunk in lines and characters (see splitForSealing). O(batch), so a
 * script printing ten lines at a time costs ten lines' work per append, not the whole tail's.
 */
function sealsNothing(known: readonly LogLine[], tailChars: number, lines: readonly LogLine[]): boolean {
  if (known.length + lines.length >= CHUNK_MAX_LINES / 2) return false;
  const step = known.at(-1)?.step_index ?? lines[0]?.step_index;
  let chars = tailChars;
  for (const line of lines) {
    if (line.step_index !== step) return false;
    chars += line.content.length;
  }
  return chars < CHUNK_MAX_CHARS / 2;
}
