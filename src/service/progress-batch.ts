// Owns the coalescing of a running execution's progress and metadata: kept current in memory, written once per flush interval.
import type { ExecutionPatch, ExecutionRecord } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import type { EngineEffect, ExecutionCounters } from '../engine/engine-types.js';

type MetadataEffect = Extract<EngineEffect, { type: 'metadata_changed' }>;

/** What one flush writes: the execution's changed fields (its whole metadata when a key changed), and the open step when META changed it. */
export interface ProgressFlush {
  execution: ExecutionPatch | null;
  step: StepState | null;
}

/**
 * Applies a running execution's counters and META keys to its record (and to its open step) as the
 * effects arrive, and hands what changed to `write` at most once per `flushMs` — the log's group
 * commit interval. A script printing a META line, or a step marker, on every line then costs one
 * store write and one published update per interval, not one per line carrying the whole metadata.
 */
export class ProgressBatch {
  readonly #record: ExecutionRecord;
  readonly #flushMs: number;
  readonly #write: (flush: ProgressFlush) => void;
  #patch: ExecutionPatch | null = null;
  /** The open step as last emitted by the engine, with the META keys set on it since. */
  #step: StepState | null = null;
  #stepChanged = false;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  /** `record` is the run's own copy, metadata included: it is updated in place. */
  constructor(record: ExecutionRecord, flushMs: number, write: (flush: ProgressFlush) => void) {
    this.#record = record;
    this.#flushMs = flushMs;
    this.#write = write;
  }

  /** Takes new counters; they are written at the next flush. */
  executionChanged(counters: ExecutionCounters): void {
    Object.assign(this.#record, counters);
    this.#patch = Object.assign(this.#patch ?? {}, counters);
    this.#schedule();
  }

  /** Remembers the open step. A step_changed carries all its metadata, so nothing of it is pending any more. */
  stepChanged(step: StepState): void {
    this.#step = step.status === 'running' ? step : null;
    this.#stepChanged = false;
  }

  /** Applies one META key to the execution's metadata or to the open step's. */
  metadataChanged(effect: MetadataEffect): void {
    if (effect.step_index === null) {
      setEntry(this.#record.metadata, effect.key, effect.value);
      (this.#patch ??= {}).metadata = this.#record.metadata;
    } else if (this.#step !== null && this.#step.index === effect.step_index) {
      setEntry(this.#step.metadata, effect.key, effect.value);
      this.#stepChanged = true;
    } else {
      return;
    }
    this.#schedule();
  }

  /** Hands over whatever changed since the last flush. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const flush: ProgressFlush = { execution: this.#patch, step: this.#stepChanged ? this.#step : null };
    this.#patch = null;
    this.#stepChanged = false;
    if (flush.execution !== null || flush.step !== null) this.#write(flush);
  }

  /** Flushes what is pending and stops: the end of the run is written with its own complete patch. */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== null) return;
    this.#timer = setTimeout(() => this.flush(), this.#flushMs);
  }
}

/** Sets an own property even for keys such as `__proto__`, which plain assignment would treat as the prototype. */
function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
