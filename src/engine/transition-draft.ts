// Owns TransitionDraft: the working copy one engine event edits, so every handler changes state and records effects the same way.
import type { LogStream } from '../core/log-line.js';
import type { StepState } from '../core/step.js';
import type { EngineEffect, EngineState, EngineTransition, ExecutionProgress } from './engine-types.js';
import { resolveTotalSteps } from './resolve-total-steps.js';
import { maskExecution, maskText, maskValue } from './secret-mask.js';

/**
 * Builds one EngineTransition without mutating the input state: every change replaces the
 * objects it touches, and every effect carries its own copy of steps and executions.
 *
 * The open step's `last_line` is brought up to date when it is emitted or closed, not on every
 * line: while a step is open it owns every new line, so `state.lastLine` is its last line, and
 * copying the steps array per line would make a long log cost lines x steps.
 */
export class TransitionDraft {
  private current: EngineState;
  private readonly effects: EngineEffect[] = [];

  constructor(state: EngineState) {
    this.current = state;
  }

  /** The state as edited so far. */
  get state(): EngineState {
    return this.current;
  }

  /** The open step, or null when none is open. */
  openStep(): StepState | null {
    const index = this.current.openStep;
    return index === null ? null : (this.current.steps[index] ?? null);
  }

  /** Replaces top-level fields of the state. */
  update(patch: Partial<Pick<EngineState, 'openStep' | 'stopping' | 'secrets'>>): void {
    this.current = { ...this.current, ...patch };
  }

  /** Replaces fields of the execution. */
  patchExecution(patch: Partial<ExecutionProgress>): void {
    this.current = { ...this.current, execution: { ...this.current.execution, ...patch } };
  }

  /** Replaces fields of one step and returns the new step. */
  patchStep(index: number, patch: Partial<StepState>): StepState {
    const old = this.current.steps[index];
    if (old === undefined) throw new Error(`engine bug: no step ${index}`);
    const step = { ...old, ...patch };
    const steps = this.current.steps.slice();
    steps[index] = step;
    this.current = { ...this.current, steps };
    return step;
  }

  /** Appends a new step (its index must be the current step count). */
  addStep(step: StepState): void {
    this.current = { ...this.current, steps: [...this.current.steps, step] };
  }

  /** Recomputes total_steps and completed_steps from the steps and the declared total. */
  recountSteps(): void {
    const steps = this.current.steps;
    this.patchExecution({
      total_steps: resolveTotalSteps(this.current.execution.metadata, steps.length),
      completed_steps: steps.filter((step) => step.status === 'completed').length,
    });
  }

  /** Takes the next line number; the line's log effect is recorded later with `recordLog`. */
  reserveLine(): number {
    const line = this.current.lastLine + 1;
    this.current = { ...this.current, lastLine: line };
    return line;
  }

  /** Records a log effect for a line number already reserved; known secrets in `content` are masked. */
  recordLog(line: number, ts: number, stream: LogStream, stepIndex: number | null, content: string): void {
    const masked = maskText(this.current.secrets, content);
    this.effects.push({ type: 'log', line: { line, ts, stream, step_index: stepIndex, content: masked } });
  }

  /** Reserves the next line number and records a log effect for it. */
  appendLog(ts: number, stream: LogStream, stepIndex: number | null, content: string): void {
    this.recordLog(this.reserveLine(), ts, stream, stepIndex, content);
  }

  /** Emits step_changed for a step, first bringing the open step's last_line up to date. */
  emitStep(index: number): void {
    const step =
      index === this.current.openStep ? this.patchStep(index, { last_line: this.current.lastLine }) : this.current.steps[index];
    if (step === undefined) throw new Error(`engine bug: no step ${index}`);
    this.effects.push({ type: 'step_changed', step: this.maskStep(step) });
  }

  /** Emits execution_changed with a copy of the execution. */
  emitExecution(): void {
    this.effects.push({ type: 'execution_changed', execution: this.copyExecution() });
  }

  /** Emits finished with a copy of the final execution. */
  emitFinished(): void {
    this.effects.push({ type: 'finished', execution: this.copyExecution() });
  }

  /** Emits an effect that carries no state (kill, artifact). */
  emit(effect: Extract<EngineEffect, { type: 'kill_process_group' | 'artifact' }>): void {
    const secrets = this.current.secrets;
    if (effect.type === 'artifact' && effect.description !== null) this.effects.push({ ...effect, description: maskText(secrets, effect.description) });
    else this.effects.push(effect);
  }

  /** The finished transition. */
  toTransition(): EngineTransition {
    return { state: this.current, effects: this.effects };
  }

  // State keeps values as printed (STEP_COMPLETE compares names); only what leaves the engine is masked.
  private copyExecution(): ExecutionProgress {
    return maskExecution(this.current.secrets, this.current.execution);
  }

  private maskStep(step: StepState): StepState {
    const secrets = this.current.secrets;
    if (secrets.pattern === null) return { ...step, metadata: structuredClone(step.metadata) };
    const text = (value: string | null): string | null => (value === null ? null : maskText(secrets, value));
    return {
      ...step,
      name: maskText(secrets, step.name),
      description: text(step.description),
      error_message: text(step.error_message),
      metadata: maskValue(secrets, step.metadata) as Record<string, unknown>,
    };
  }
}
