// Owns the copy in memory of each short live tail: what lets an append seal complete chunks from its own batch instead of writing rows and reading them back.
import type { LogLine } from '../../core/log-line.js';

/** Characters (UTF-16 code units) of tail lines kept in memory across all executions: about 64 MiB. */
export const MAX_CACHED_TAIL_CHARS = 32 * 1024 * 1024;

type CachedTail =
  | { kind: 'lines'; lines: LogLine[]; chars: number; next: number }
  /** The tail in the database is not known here (too long, or over budget) until the sealer has sealed it. */
  | { kind: 'rows' };

/**
 * The lines of each live tail (always under a chunk) as the store holds them, and the next line number expected.
 * It is only ever a copy: an entry that does not continue with the appended lines is not used, and anything that
 * changes a tail other than an append (seal, retention, delete) forgets it, so the store reads the tail again.
 */
export class LiveTailCache {
  readonly #tails = new Map<number, CachedTail>();
  #chars = 0;

  constructor(readonly maxChars = MAX_CACHED_TAIL_CHARS) {}

  /** The cached tail when the next appended line is `firstLine`; 'rows' when it must not be loaded; undefined when unknown. */
  get(executionId: number, firstLine: number): readonly LogLine[] | 'rows' | undefined {
    const tail = this.#tails.get(executionId);
    if (tail === undefined) return undefined;
    if (tail.kind === 'rows') return 'rows';
    if (tail.next === firstLine) return tail.lines;
    this.forget(executionId);
    return undefined;
  }

  /** Keeps `lines` as the execution's tail, `next` the line expected after it; beyond the budget, marks it 'rows'. */
  set(executionId: number, lines: readonly LogLine[], next: number): void {
    this.forget(executionId);
    let chars = 0;
    for (const line of lines) chars += line.content.length;
    if (this.#chars + chars > this.maxChars) {
      this.#tails.set(executionId, { kind: 'rows' });
      return;
    }
    this.#chars += chars;
    this.#tails.set(executionId, { kind: 'lines', lines: [...lines], chars, next });
  }

  /** Characters of the execution's cached tail (0 when none is cached). */
  chars(executionId: number): number {
    const tail = this.#tails.get(executionId);
    return tail?.kind === 'lines' ? tail.chars : 0;
  }

  /**
   * Adds `lines` to the end of the tail `known` (what `get` answered, or the rows read), `next` the line expected after
   * them. A cached tail grows in place: the work is the batch's, not the tail's. Beyond the budget the tail is left to
   * the rows.
   */
  extend(executionId: number, known: readonly LogLine[], lines: readonly LogLine[], next: number): void {
    const tail = this.#tails.get(executionId);
    if (tail?.kind !== 'lines' || tail.lines !== known) return this.set(executionId, [...known, ...lines], next);
    let chars = 0;
    for (const line of lines) chars += line.content.length;
    if (this.#chars + chars > this.maxChars) return this.leaveToRows(executionId);
    for (const line of lines) tail.lines.push(line);
    tail.chars += chars;
    tail.next = next;
    this.#chars += chars;
  }

  /** Notes that the execution's tail is left to the rows and the background sealer. */
  leaveToRows(executionId: number): void {
    this.forget(executionId);
    this.#tails.set(executionId, { kind: 'rows' });
  }

  /** Drops what is known of the execution's tail. */
  forget(executionId: number): void {
    const tail = this.#tails.get(executionId);
    if (tail?.kind === 'lines') this.#chars -= tail.chars;
    this.#tails.delete(executionId);
  }
}
