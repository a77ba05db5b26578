// Owns knowing, without reading the database, which live logs have a complete chunk waiting in their tail to be sealed.
import type { LogLine } from '../../core/log-line.js';
import { completesChunk } from './split-for-sealing.js';

interface TailShape {
  count: number;
  chars: number;
  step: number | null | undefined;
  ready: boolean;
}

/**
 * Counts of each live tail this process appended to. It only schedules sealing: a count that races a concurrent
 * append makes a seal attempt early (which seals nothing) or late (the execution's end seals everything), never
 * changes what a read returns.
 */
export class LiveTailTracker {
  readonly #tails = new Map<number, TailShape>();

  /** Notes lines just appended to the execution's tail. */
  noteAppended(executionId: number, lines: readonly LogLine[]): void {
    const tail = this.#tails.get(executionId) ?? { count: 0, chars: 0, step: undefined, ready: false };
    if (!tail.ready && completesChunk(tail.count, tail.chars, tail.step, lines)) tail.ready = true;
    tail.count += lines.length;
    for (const line of lines) tail.chars += line.content.length;
    tail.step = lines.at(-1)?.step_index ?? tail.step;
    this.#tails.set(executionId, tail);
  }

  /** Notes a tail found to hold a complete chunk already (one longer than a chunk, left by an earlier process). */
  noteReady(executionId: number): void {
    const tail = this.#tails.get(executionId) ?? { count: 0, chars: 0, step: undefined, ready: true };
    this.#tails.set(executionId, { ...tail, ready: true });
  }

  /** A live execution whose tail holds at least one complete chunk, or null. */
  nextReady(): number | null {
    for (const [id, tail] of this.#tails) if (tail.ready) return id;
    return null;
  }

  /** Records what is left in the tail after a seal; `more` when lines past `rest` were not read. */
  noteSealed(executionId: number, rest: readonly LogLine[], more: boolean): void {
    const chars = rest.reduce((sum, line) => sum + line.content.length, 0);
    this.#tails.set(executionId, { count: rest.length, chars, step: rest.at(-1)?.step_index, ready: more });
  }

  /** Stops tracking the execution (its log ended, was deleted or cut by retention). */
  forget(executionId: number): void {
    this.#tails.delete(executionId);
  }
}
