// Owns TransitionDraft: how one engine event edits the state and records effects, the same way for every handler.
import type { LogStream } from '../core/log-line.js';
import type { StepState } from '../core/step.js';
import type { Annotation } from '../core/annotation.js';
import type { EngineEffect, EngineState, EngineTransition, ExecutionCounters } from './engine-types.js';
import { resolveTotalSteps } from './resolve-total-steps.js';
import { maskExecution, maskText, maskValue } from './secret-mask.js';

/**
 * Builds one EngineTransition by editing the state in place and recording effects that are copies,
 * so nothing a host keeps from an effect changes when the state moves on.
 *
 * Nothing here costs more as the execution grows: steps are appended and patched in place,
 * completed steps are counted as they complete, and execution_changed carries the counters without
 * the metadata (META changes travel one key at a time in metadata_changed). The open step's
 * `last_line` is brought up to date when it is emitted or closed, not on every line: while a step is
 * open it owns every new line, so `state.lastLine` is its last line.
 */
export class TransitionDraft {
  /** The state being edited (the one the event was applied to). */
  readonly state: EngineState;
  readonly #effects: EngineEffect[] = [];

  constructor(state: EngineState) {
    this.state = state;
  }

  /** The open step, or null when none is open. */
  openStep(): StepState | null {
    const index = this.state.openStep;
    return index === null ? null : (this.state.steps[index] ?? null);
  }

  /** Replaces top-level fields of the state. */
  update(patch: Partial<Pick<EngineState, 'openStep' | 'stopping'>>): void {
    Object.assign(this.state, patch);
  }

  /** Replaces fields of the execution (its metadata changes only through META, one key at a time). */
  patchExecution(patch: Partial<ExecutionCounters>): void {
    Object.assign(this.state.execution, patch);
  }

  /** Replaces fields of one step and returns it. */
  patchStep(index: number, patch: Partial<StepState>): StepState {
    const step = this.state.steps[index];
    if (step === undefined) throw new Error(`engine bug: no step ${index}`);
    const was = step.status;
    Object.assign(step, patch);
    if (was !== 'completed' && step.status === 'completed') this.state.completedSteps++;
    if (was !== 'failed' && step.status === 'failed') this.state.failedSteps++;
    return step;
  }

  /** Appends a new step (its index must be the current step count). */
  addStep(step: StepState): void {
    if (step.index !== this.state.steps.length)
      throw new Error(`engine bug: step ${step.index} added as step ${this.state.steps.length}`);
    this.state.steps.push(step);
  }

  /** Recomputes total_steps, completed_steps and failed_steps from the step count, the running counts and the declared total. */
  recountSteps(): void {
    this.patchExecution({
      total_steps: resolveTotalSteps(this.state.execution.metadata, this.state.steps.length),
      completed_steps: this.state.completedSteps,
      failed_steps: this.state.failedSteps,
    });
  }

  /** Takes the next line number; the line's log effect is recorded later with `recordLog`. */
  reserveLine(): number {
    return ++this.state.lastLine;
  }

  /** Records a log effect for a line number already reserved; known secrets in `content` are masked. */
  recordLog(line: number, ts: number, stream: LogStream, stepIndex: number | null, content: string): void {
    const masked = maskText(this.state.secrets, content);
    this.#effects.push({ type: 'log', line: { line, ts, stream, step_index: stepIndex, content: masked } });
  }

  /** Reserves the next line number and records a log effect for it. */
  appendLog(ts: number, stream: LogStream, stepIndex: number | null, content: string): void {
    this.recordLog(this.reserveLine(), ts, stream, stepIndex, content);
  }

  /** Returns `message` the first time `bound` is passed and null after, so a bound is reported once, not per line. */
  noticeOnce(bound: string, message: string): string | null {
    if (this.state.usage.noticed.has(bound)) return null;
    this.state.usage.noticed.add(bound);
    return message;
  }

  /** Emits step_changed for a step, first bringing an open step's last_line up to date (an open step owns every line so far). */
  emitStep(index: number): void {
    const step =
      this.state.steps[index]?.status === 'running'
        ? this.patchStep(index, { last_line: this.state.lastLine })
        : this.state.steps[index];
    if (step === undefined) throw new Error(`engine bug: no step ${index}`);
    this.#effects.push({ type: 'step_changed', step: this.#maskStep(step) });
  }

  /** Emits execution_changed with a copy of the execution's counters. */
  emitExecution(): void {
    const { metadata: _metadata, ...counters } = this.state.execution;
    if (counters.error_message !== null) counters.error_message = maskText(this.state.secrets, counters.error_message);
    this.#effects.push({ type: 'execution_changed', execution: counters });
  }

  /** Emits one metadata key just set on a step (or on the execution when `stepIndex` is null). */
  emitMetadata(stepIndex: number | null, key: string, value: unknown): void {
    const secrets = this.state.secrets;
    this.#effects.push({
      type: 'metadata_changed',
      step_index: stepIndex,
      key: maskText(secrets, key),
      value: maskValue(secrets, value),
    });
  }

  /** Emits finished with a copy of the final execution, metadata included. */
  emitFinished(): void {
    this.#effects.push({ type: 'finished', execution: maskExecution(this.state.secrets, this.state.execution) });
  }

  /** Emits an annotation with its texts masked; `kept` false means it is only counted (past the bound). */
  emitAnnotation(annotation: Annotation, kept: boolean): void {
    const secrets = this.state.secrets;
    const text = (value: string | null): string | null => (value === null ? null : maskText(secrets, value));
    const masked = {
      ...annotation,
      message: maskText(secrets, annotation.message),
      file: text(annotation.file),
      title: text(annotation.title),
    };
    this.#effects.push({ type: 'annotation', annotation: masked, kept });
  }

  /** Emits an effect that carries no state (kill, artifact, summary). */
  emit(effect: Extract<EngineEffect, { type: 'kill_process_group' | 'artifact' | 'summary' }>): void {
    const secrets = this.state.secrets;
    if (effect.type === 'artifact' && effect.description !== null)
      this.#effects.push({ ...effect, description: maskText(secrets, effect.description) });
    else this.#effects.push(effect);
  }

  /** The finished transition. */
  toTransition(): EngineTransition {
    return { state: this.state, effects: this.#effects };
  }

  // State keeps values as printed (STEP_COMPLETE compares names); only what leaves the engine is masked.
  #maskStep(step: StepState): StepState {
    const secrets = this.state.secrets;
    if (secrets.size === 0) return { ...step, metadata: structuredClone(step.metadata) };
    const text = (value: string | null): string | null => (value === null ? null : maskText(secrets, value));
    return {
      ...step,
      name: maskText(secrets, step.name),
      description: text(step.description),
      error_message: text(step.error_message),
      progress_message: text(step.progress_message),
      metadata: maskValue(secrets, step.metadata) as Record<string, unknown>,
    };
  }
}
