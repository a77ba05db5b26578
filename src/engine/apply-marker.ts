// Owns what each marker does to a running execution: open, complete and fail steps, artifacts; META and MASK beside it.
import type { StepState } from '../core/step.js';
import type { MarkerEvent } from '../markers/marker-event.js';
import { applyMask } from './apply-mask.js';
import { applyMeta, startStepMetadata } from './apply-meta.js';
import { MAX_ARTIFACTS, MAX_STEPS } from './engine-limits.js';
import type { MarkerOutcome } from './engine-types.js';
import type { TransitionDraft } from './transition-draft.js';

/** The bound that, once reached, turns step markers into plain text. */
const STEP_BOUND = 'steps';
const STEP_MARKERS = new Set<MarkerEvent['kind']>(['step_start', 'step_complete', 'step_error']);

/**
 * Applies one parsed line to the draft. `line` is the number already reserved for the marker's
 * own line and `at` its receive time.
 */
export function applyMarker(draft: TransitionDraft, marker: MarkerEvent, line: number, at: number): MarkerOutcome {
  const open = draft.state.openStep;
  // Past the step bound no step is open; a warning for each later step marker would only flood the log.
  if (STEP_MARKERS.has(marker.kind) && draft.state.usage.noticed.has(STEP_BOUND)) return { stepIndex: open, warning: null };
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
      return announceArtifact(draft, marker.path, marker.description, at);
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
  if (index >= MAX_STEPS) return stopTrackingSteps(draft);
  const { metadata, warning } = startStepMetadata(draft, index, name, options);
  draft.addStep(createStep(index, name, options, metadata, line, at));
  draft.update({ openStep: index });
  draft.patchExecution({ current_step_index: index });
  draft.recountSteps();
  draft.emitStep(index);
  draft.emitExecution();
  return { stepIndex: index, warning };
}

/** The STEP_START past the bound opens nothing: the step it closed is the last, and step markers are text from now on. */
function stopTrackingSteps(draft: TransitionDraft): MarkerOutcome {
  draft.patchExecution({ current_step_index: null });
  draft.recountSteps();
  draft.emitExecution();
  const warning = `step limit reached: an execution has at most ${MAX_STEPS.toLocaleString('en-US')} steps; from here on STEP_START, STEP_COMPLETE and STEP_ERROR lines are plain text`;
  return { stepIndex: null, warning: draft.noticeOnce(STEP_BOUND, warning) };
}

function createStep(
  index: number,
  name: string,
  options: Record<string, unknown>,
  metadata: Record<string, unknown>,
  line: number,
  at: number,
): StepState {
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
    metadata,
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
  draft.recountSteps();
  draft.emitExecution();
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

/** Asks the host to collect the file, up to the bound: each announcement costs the host a file-system look. */
function announceArtifact(draft: TransitionDraft, path: string, description: string | null, at: number): MarkerOutcome {
  const open = draft.state.openStep;
  const usage = draft.state.usage;
  if (usage.artifacts >= MAX_ARTIFACTS) {
    const warning = `ARTIFACT limit reached: an execution announces at most ${MAX_ARTIFACTS.toLocaleString('en-US')} artifacts; later ARTIFACT lines are not collected`;
    return { stepIndex: open, warning: draft.noticeOnce('artifacts', warning) };
  }
  usage.artifacts++;
  draft.emit({ type: 'artifact', path, description, step_index: open, at });
  return { stepIndex: open, warning: null };
}
