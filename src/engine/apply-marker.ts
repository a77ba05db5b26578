// Owns what each marker does to a running execution: StepFlow steps and artifacts here; groups, annotations, META and MASK beside it.
import type { MarkerEvent } from '../markers/marker-event.js';
import { applyAnnotation, applyProgress, applySummary } from './apply-annotation.js';
import {
  applyGroupEnd,
  applyGroupExpand,
  applyGroupStart,
  applyStepResult,
  applyTestPoint,
} from './apply-group-marker.js';
import { applyMask } from './apply-mask.js';
import { applyMeta } from './apply-meta.js';
import { MAX_ARTIFACTS } from './engine-limits.js';
import type { MarkerOutcome } from './engine-types.js';
import { closeStepsFrom, findOpenStep, openStepInTree, STEP_BOUND } from './step-tree.js';
import type { TransitionDraft } from './transition-draft.js';

const STEP_MARKERS = new Set<MarkerEvent['kind']>([
  'step_start',
  'step_complete',
  'step_error',
  'group_start',
  'group_end',
  'test_point',
]);

/**
 * Applies one parsed line to the draft. `line` is the number already reserved for the marker's
 * own line and `at` its receive time.
 */
export function applyMarker(draft: TransitionDraft, marker: MarkerEvent, line: number, at: number): MarkerOutcome {
  const open = draft.state.openStep;
  // Past the step bound no step opens; a warning for each later step marker would only flood the log.
  if (STEP_MARKERS.has(marker.kind) && draft.state.usage.noticed.has(STEP_BOUND))
    return { stepIndex: open, warning: null };
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
    default:
      return applyDialectMarker(draft, marker, line, at);
  }
}

/** The markers the other dialects add: groups, test points, results, annotations, progress, summaries. */
function applyDialectMarker(
  draft: TransitionDraft,
  marker: Exclude<
    MarkerEvent,
    { kind: 'text' | 'step_start' | 'step_complete' | 'step_error' | 'artifact' | 'meta' | 'mask' | 'malformed' }
  >,
  line: number,
  at: number,
): MarkerOutcome {
  switch (marker.kind) {
    case 'group_start':
      return applyGroupStart(draft, marker, line, at);
    case 'group_end':
      return applyGroupEnd(draft, marker, at);
    case 'group_expand':
      return applyGroupExpand(draft);
    case 'step_result':
      return applyStepResult(draft, marker.status, marker.message);
    case 'test_point':
      return applyTestPoint(draft, marker, line, at);
    case 'annotation':
      return applyAnnotation(draft, marker, line, at);
    case 'progress':
      return applyProgress(draft, marker.percent, marker.message);
    case 'summary':
      return applySummary(draft, marker.path, at);
  }
}

// STEP_START ends the StepFlow step it follows (if that is the innermost open step) and opens the next beside it.
function startStep(
  draft: TransitionDraft,
  name: string,
  options: Record<string, unknown>,
  line: number,
  at: number,
): MarkerOutcome {
  const stack = draft.state.openSteps;
  if (stack[stack.length - 1]?.closing === 'stepflow') {
    // The marker line already belongs to the new step, so the old one ended on the line before.
    closeStepsFrom(draft, stack.length - 1, { status: 'completed', error: null, lastLine: line - 1 }, at);
  }
  return openStepInTree(draft, { name, options, closing: 'stepflow', key: null, collapsed: false }, line, at);
}

/** The step STEP_COMPLETE / STEP_ERROR act on: the innermost StepFlow step, else the innermost open step. */
function targetPosition(draft: TransitionDraft): number {
  const own = findOpenStep(draft, (frame) => frame.closing === 'stepflow');
  return own >= 0 ? own : draft.state.openSteps.length - 1;
}

function completeStep(draft: TransitionDraft, name: string, at: number): MarkerOutcome {
  const position = targetPosition(draft);
  const frame = draft.state.openSteps[position];
  if (frame === undefined) return { stepIndex: null, warning: `STEP_COMPLETE:"${name}" but no step is open` };
  const step = draft.state.steps[frame.index];
  if (step !== undefined && name !== '' && name !== step.name) {
    return {
      stepIndex: draft.state.openStep,
      warning: `STEP_COMPLETE:"${name}" does not match the open step "${step.name}"`,
    };
  }
  const lastLine = draft.state.lastLine;
  closeStepsFrom(draft, position, { status: 'completed', error: null, lastLine, closeLine: lastLine }, at);
  draft.recountSteps();
  draft.emitExecution();
  return { stepIndex: frame.index, warning: null };
}

function failStep(draft: TransitionDraft, message: string, at: number): MarkerOutcome {
  const position = targetPosition(draft);
  const frame = draft.state.openSteps[position];
  if (frame === undefined) return { stepIndex: null, warning: `STEP_ERROR:"${message}" but no step is open` };
  const step = draft.state.steps[frame.index];
  const error = message === '' ? 'step failed' : message;
  const lastLine = draft.state.lastLine;
  closeStepsFrom(draft, position, { status: 'failed', error, lastLine, closeLine: lastLine }, at);
  draft.recountSteps();
  draft.emitExecution();
  if (step?.stop_on_error === true && draft.state.stopping === null) {
    draft.update({
      stopping: { reason: 'critical_step_failed', message: `critical step "${step.name}" failed: ${error}` },
    });
    draft.emit({ type: 'kill_process_group', reason: 'critical_step_failed' });
  }
  return { stepIndex: frame.index, warning: null };
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
