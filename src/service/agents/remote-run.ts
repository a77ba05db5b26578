// Owns one execution held by an agent, as the service sees it: the executor run fed by the agent's numbered batches.
import type { AgentAssignment } from '../../core/agent-protocol.js';
import type { Clock } from '../../core/clock.js';
import type { ExecutionRecord } from '../../core/execution.js';
import type { EngineEffect, ExecutionCounters, ExecutionProgress } from '../../engine/engine-types.js';
import type { ExecutionSpec, ExecutorRun } from '../executor.js';
import { pickCounters } from '../to-counters-patch.js';

interface LineWaiter {
  line: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** An execution an agent runs: batches go in through `deliver`, cancel and notices wait for the agent's next heartbeat. */
export class RemoteRun implements ExecutorRun {
  readonly done: Promise<ExecutionProgress>;
  /** Highest batch number applied (null after a server restart: the stored line numbers decide then). */
  lastSeq: number | null = null;
  /** Highest line number accepted (stored or about to be). */
  lastLine: number;
  /** Highest line number the store has committed. */
  storedLine: number;
  /** True once the agent sent a batch: the assignment reached it. */
  reported = false;
  cancelRequested = false;
  /** What the agent was told to run; re-sent until the agent reports on it. */
  assigned: AgentAssignment | null = null;
  /** Artifacts the agent uploaded, counted when its end arrives (it uploads them all before it sends the end). */
  artifactsCount = 0;
  /** Lines the service adds to the log; the agent's engine numbers them. */
  readonly notices: string[] = [];
  /** Batches applied one at a time, in order; a resent batch waits for the one in flight. */
  processing: Promise<unknown> = Promise.resolve();
  /** Set while this server lets go of the run (another server took it over); settles once all it accepted is stored. */
  releasing: Promise<void> | null = null;
  private counters: ExecutionCounters;
  private metadata: Record<string, unknown>;
  /** Resolves once the service stored the run's end. */
  readonly closed: Promise<void>;
  /** Resolves once the service bound its effect sink: batches may be applied from then on. */
  readonly bound: Promise<void>;
  private resolveBound: () => void = () => {};
  private resolveClosed: () => void = () => {};
  private resolveDone: (progress: ExecutionProgress) => void = () => {};
  private ended = false;
  private lostMessage: string | null = null;
  private waiters: LineWaiter[] = [];
  private onEffects: (effects: EngineEffect[]) => void = () => {};

  constructor(
    readonly record: ExecutionRecord,
    readonly agent: string,
    storedLine: number,
    private readonly clock: Clock,
    private readonly wake: () => void,
  ) {
    this.lastLine = storedLine;
    this.storedLine = storedLine;
    this.counters = pickCounters(record);
    this.metadata = record.metadata;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.bound = new Promise((resolve) => (this.resolveBound = resolve));
  }

  /** The service stored the run's end. */
  close(): void {
    this.resolveClosed();
  }

  /** Binds the service's effect sink and what to run (the executor's start). */
  bind(spec: ExecutionSpec, onEffects: (effects: EngineEffect[]) => void): void {
    this.onEffects = onEffects;
    this.assigned = this.assignment(spec);
    this.resolveBound();
    // A heartbeat waiting for this assignment answers now.
    this.wake();
  }

  cancel(): void {
    if (this.ended) return;
    // A lost agent hears nothing: the run ends here, failed, with what was received.
    if (this.lostMessage !== null)
      return this.end({
        ...this.counters,
        metadata: this.metadata,
        status: 'failed',
        error_message: this.lostMessage,
        completed_at: this.clock.now(),
      });
    this.cancelRequested = true;
    this.wake();
  }

  notice(content: string): boolean {
    if (this.ended || this.lostMessage !== null) return false;
    this.notices.push(content);
    this.wake();
    return true;
  }

  /** Marks the agent lost; the service's next cancel ends the run. */
  lose(message: string): void {
    this.lostMessage = message;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** Hands already-validated effects to the service, in order; a `finished` effect ends the run. */
  deliver(effects: EngineEffect[]): void {
    const rest: EngineEffect[] = [];
    let final: ExecutionProgress | null = null;
    for (const effect of effects) {
      if (effect.type === 'finished') final = effect.execution;
      else rest.push(effect);
      if (effect.type === 'execution_changed') this.counters = effect.execution;
      if (effect.type === 'log') this.lastLine = Math.max(this.lastLine, effect.line.line);
    }
    if (rest.length > 0) this.onEffects(rest);
    if (final !== null) this.end(final);
  }

  /** Resolves once the store holds every line up to `line`; rejects if the run ends first without them. */
  waitForLine(line: number): Promise<void> {
    if (this.storedLine >= line) return Promise.resolve();
    if (this.ended) return Promise.reject(new Error('the execution ended before its lines were stored'));
    return new Promise((resolve, reject) => this.waiters.push({ line, resolve, reject }));
  }

  /** The store committed lines up to `line`. */
  stored(line: number): void {
    if (line <= this.storedLine) return;
    this.storedLine = line;
    const still: LineWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.line <= line) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private assignment(spec: ExecutionSpec): AgentAssignment {
    return {
      execution_id: String(spec.execution_id),
      name: this.record.name,
      command: spec.command,
      working_directory: spec.working_directory,
      environment: spec.environment,
      timeout_seconds: spec.timeout_seconds,
      metadata: spec.metadata,
      marker_mode: spec.engine.markerMode,
      secrets: [...(spec.engine.secrets ?? [])],
      ...(spec.engine.markers ? { markers: [...spec.engine.markers] } : {}),
    };
  }

  private end(final: ExecutionProgress): void {
    if (this.ended) return;
    this.ended = true;
    for (const waiter of this.waiters) waiter.reject(new Error('the execution ended before its lines were stored'));
    this.waiters = [];
    this.resolveDone(final);
  }
}
