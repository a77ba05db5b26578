// Owns the live fan-out of one execution to its subscribers: step ids, per-line entries and the shared ~30 ms batches.
import type { Clock } from '../core/clock.js';
import type { LogLine } from '../core/log-line.js';
import type { StepRecord } from '../core/step.js';
import type { WireLogLine } from '../core/wire-types.js';
import { toWireLogLine, toWireStep } from '../service/to-wire.js';
import { encodeLogBatch, encodeMessage, logEntryData } from './ws-message.js';
import type { WsSubscription } from './ws-subscription.js';

/** Batching settings of a channel. */
export interface ChannelOptions {
  /** Running steps' durations are reckoned from it. */
  clock: Clock;
  flushMs: number;
  /** A batch this long is flushed at once, which keeps frames small under a burst. */
  maxBatchLines: number;
}

/** The subscribers of one execution and the lines waiting for the next batch flush. */
export class ExecutionChannel {
  readonly executionId: number;
  /** step index -> step id, seeded from the first snapshot and kept current from step_updated events. */
  readonly stepIds = new Map<number, number>();
  readonly subscribers = new Set<WsSubscription>();
  readonly #options: ChannelOptions;
  #batch: WireLogLine[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(executionId: number, options: ChannelOptions) {
    this.executionId = executionId;
    this.#options = options;
  }

  /** Adds the ids of steps read from the store. */
  seedSteps(steps: readonly StepRecord[]): void {
    for (const step of steps) this.stepIds.set(step.index, step.id);
  }

  /** Sends a step change to the subscribers after the lines batched before it. */
  publishStep(step: StepRecord): void {
    this.stepIds.set(step.index, step.id);
    const now = this.#options.clock.now();
    this.publish(
      encodeMessage('step_update', { execution_id: String(this.executionId), step: toWireStep(step, now) }, now),
    );
  }

  /** Sends one serialized message to every subscriber (queued for those still syncing), after the pending batch. */
  publish(frame: Buffer): void {
    this.flush();
    for (const sub of this.subscribers) {
      if (sub.state === 'syncing') sub.queueFrame(frame);
      else if (sub.state === 'live') sub.client.send(frame);
    }
  }

  /** Fans committed lines out: queued for syncing subscribers, one shared log_entry per line, or into the next batch. */
  publishLines(lines: readonly LogLine[]): void {
    let entries = false;
    let batches = false;
    for (const sub of this.subscribers) {
      if (sub.state === 'syncing') sub.queueLines(lines);
      else if (sub.state === 'live') {
        if (sub.batch) batches = true;
        else entries = true;
      }
    }
    if (!entries && !batches) return;
    const wire = lines.map((line) => toWireLogLine(line, this.stepIds));
    if (entries) this.#sendEntries(wire);
    if (batches) {
      for (const line of wire) this.#batch.push(line);
      if (this.#batch.length >= this.#options.maxBatchLines) this.flush();
      else this.#timer ??= setTimeout(() => this.flush(), this.#options.flushMs);
    }
  }

  /** Sends the pending batch, serialized once for every batch subscriber that has none of its lines yet. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const lines = this.#batch;
    if (lines.length === 0) return;
    this.#batch = [];
    const first = lines[0]!.line;
    const last = lines[lines.length - 1]!.line;
    let shared: Buffer | null = null;
    for (const sub of this.subscribers) {
      if (sub.state !== 'live' || !sub.batch || last <= sub.lastSent) continue;
      if (first > sub.lastSent) {
        shared ??= encodeLogBatch(this.executionId, lines, this.#options.clock.now());
        sub.lastSent = last;
        sub.client.send(shared);
      } else {
        // Only a subscriber that went live mid-batch already has some of these lines.
        sub.sendLines(lines);
      }
    }
  }

  /** Stops the flush timer; the channel is being dropped. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#batch = [];
  }

  #sendEntries(lines: readonly WireLogLine[]): void {
    for (const line of lines) {
      let frame: Buffer | null = null;
      for (const sub of this.subscribers) {
        if (sub.state !== 'live' || sub.batch || line.line <= sub.lastSent) continue;
        frame ??= encodeMessage('log_entry', logEntryData(this.executionId, line), this.#options.clock.now());
        sub.lastSent = line.line;
        sub.client.send(frame);
      }
    }
  }
}
