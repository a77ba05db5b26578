// Owns what each marker does to a running execution: open, complete and fail steps, artifacts, metadata.
import type { StepState } from '../core/step.js';
import type { MarkerEvent } from '../markers/marker-event.js';
import { addSecret, MIN_SECRET_LENGTH } from './secret-mask.js';
import type { TransitionDraft } from './transition-draft.js';

/** Which step the marker's own line belongs to, and a warning to log right after it (or null). */
export interface MarkerOutcome {
  stepIndex: number | null;
  warning: string | null;
}

/**
 * Applies one parsed line to the draft. `line` is the number already reserved for the marker's
 * own line and `at` its receive time.
 */
export function applyMarker(draft: TransitionDraft, marker: MarkerEvent, line: number, at: number): MarkerOutcome {
  const open = draft.state.openStep;
  switch (marker.kind) {
    case 'text':
      return { stepIndex: open, warning: null };
    case 'step_start':
      return startStep(draft, marker.name, marker.options, line, at);
    case 'step_complete':
      return completeStep(draft, marker.name, at);
    case 'step_error':
      return failStep(draft, marker.message, at);
    case 'artifact':
      draft.emit({ type: 'artifact', path: marker.path, description: marker.description, step_index: open, at });
      return { stepIndex: open, warning: null };
    case 'meta':
      return applyMeta(draft, marker.key, marker.value);
    case 'mask':
      return applyMask(draft, marker.value);
    case 'malformed':
      return { stepIndex: open, warning: `malformed marker: ${marker.warning}` };
  }
}

function startStep(
  draft: TransitionDraft,
  name: string,
  options: Record<string, unknown>,
  line: number,
  at: number,
): MarkerOutcome {
  const previous = draft.state.openStep;
  if (previous !== null) {
    // The marker line already belongs to the new step, so the old one ended on the line before.
    draft.patchStep(previous, { status: 'completed', completed_at: at, last_line: line - 1 });
    draft.update({ openStep: null });
    draft.emitStep(previous);
  }
  const index = draft.state.steps.length;
  draft.addStep(createStep(index, name, options, line, at));
  draft.update({ openStep: index });
  draft.patchExecution({ current_step_index: index });
  draft.recountSteps();
  draft.emitStep(index);
  draft.emitExecution();
  return { stepIndex: index, warning: null };
}

function createStep(index: number, name: string, options: Record<string, unknown>, line: number, at: number): StepState {
  const duration = options['duration'];
  const description = options['description'];
  return {
    index,
    name,
    description: typeof description === 'string' ? description : null,
    status: 'running',
    exit_code: null,
    error_message: null,
    created_at: at,
    started_at: at,
    completed_at: null,
    estimated_duration: typeof duration === 'number' && duration >= 0 ? duration : null,
    stop_on_error: options['stop_on_error'] === true,
    metadata: { ...options },
    first_line: line,
    last_line: line,
  };
}

function completeStep(draft: TransitionDraft, name: string, at: number): MarkerOutcome {
  const step = draft.openStep();
  if (step === null) return { stepIndex: null, warning: `STEP_COMPLETE:"${name}" but no step is open` };
  if (name !== '' && name !== step.name) {
    return { stepIndex: step.index, warning: `STEP_COMPLETE:"${name}" does not match the open step "${step.name}"` };
  }
  closeOpenStep(draft, { status: 'completed', completed_at: at });
  draft.recountSteps();
  draft.emitExecution();
  return { stepIndex: step.index, warning: null };
}

function failStep(draft: TransitionDraft, message: string, at: number): MarkerOutcome {
  const step = draft.openStep();
  if (step === null) return { stepIndex: null, warning: `STEP_ERROR:"${message}" but no step is open` };
  const error = message === '' ? 'step failed' : message;
  closeOpenStep(draft, { status: 'failed', completed_at: at, error_message: error });
  if (step.stop_on_error && draft.state.stopping === null) {
    draft.update({ stopping: { reason: 'critical_step_failed', message: `critical step "${step.name}" failed: ${error}` } });
    draft.emit({ type: 'kill_process_group', reason: 'critical_step_failed' });
  }
  return { stepIndex: step.index, warning: null };
}

/** Closes the open step on the current line (the marker's own) and emits it. */
function closeOpenStep(draft: TransitionDraft, patch: Partial<StepState>): void {
  const index = draft.state.openStep;
  if (index === null) return;
  draft.patchStep(index, { ...patch, last_line: draft.state.lastLine });
  draft.update({ openStep: null });
  draft.emitStep(index);
}

function applyMeta(draft: TransitionDraft, key: string, value: unknown): MarkerOutcome {
  const step = draft.openStep();
  if (step !== null) {
    draft.patchStep(step.index, { metadata: { ...step.metadata, [key]: value } });
    draft.emitStep(step.index);
    return { stepIndex: step.index, warning: null };
  }
  draft.patchExecution({ metadata: { ...draft.state.execution.metadata, [key]: value } });
  // A declared total_steps changes the progress denominator at once.
  draft.recountSteps();
  draft.emitExecution();
  return { stepIndex: null, warning: null };
}

/** Adds the value to the mask set before the marker line is logged, so the line itself is masked too. */
function applyMask(draft: TransitionDraft, value: string): MarkerOutcome {
  const open = draft.state.openStep;
  if (value.length < MIN_SECRET_LENGTH) {
    return { stepIndex: open, warning: `MASK value shorter than ${MIN_SECRET_LENGTH} characters is not masked` };
  }
  draft.update({ secrets: addSecret(draft.state.secrets, value) });
  return { stepIndex: open, warning: null };
}
