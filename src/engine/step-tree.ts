// Owns the tree of open steps: opening a step inside the innermost open one, and closing a step with every step inside it.
import type { StepState, StepStatus } from '../core/step.js';
import { startStepMetadata } from './apply-meta.js';
import { MAX_STEP_DEPTH, MAX_STEPS } from './engine-limits.js';
import type { MarkerOutcome, OpenStep } from './engine-types.js';
import type { TransitionDraft } from './transition-draft.js';

/** The bound that, once reached, turns step markers into plain text. */
export const STEP_BOUND = 'steps';

/** What a marker says about a step it opens. */
export interface StepOpening {
  name: string;
  options: Record<string, unknown>;
  closing: OpenStep['closing'];
  key: string | null;
  collapsed: boolean;
}

/** How a step ends: status, error message, and its last line. */
export interface StepEnding {
  status: StepStatus;
  error: string | null;
  lastLine: number;
  /** The line of the marker that closed the step (the step at `position` only), when a printed marker did. */
  closeLine?: number;
  /** True when the end time was printed by the script (GitLab): each closed step then ends no earlier than it started. */
  printed?: boolean;
}

/** Opens a step nested in the innermost open step; `line` is the marker's own line, which belongs to the new step. */
export function openStepInTree(draft: TransitionDraft, opening: StepOpening, line: number, at: number): MarkerOutcome {
  const state = draft.state;
  if (state.openSteps.length >= MAX_STEP_DEPTH) {
    const warning = `step depth limit reached: steps nest at most ${MAX_STEP_DEPTH} deep; deeper groups are plain text`;
    return { stepIndex: state.openStep, warning: draft.noticeOnce('depth', warning) };
  }
  const index = state.steps.length;
  if (index >= MAX_STEPS) return stopTrackingSteps(draft);
  const { metadata, warning } = startStepMetadata(draft, index, opening.name, opening.options);
  draft.addStep(createStep(index, opening, metadata, state.openStep, state.openSteps.length, line, at));
  state.openSteps.push({ index, closing: opening.closing, key: opening.key, result: null });
  draft.update({ openStep: index });
  draft.patchExecution({ current_step_index: index });
  draft.recountSteps();
  draft.emitStep(index);
  draft.emitExecution();
  return { stepIndex: index, warning };
}

/** Adds a step that opens and ends on one line (a TAP test point) inside the innermost open step. */
export function addFinishedStep(draft: TransitionDraft, name: string, ending: StepEnding, at: number): MarkerOutcome {
  const state = draft.state;
  const index = state.steps.length;
  if (index >= MAX_STEPS) return stopTrackingSteps(draft);
  const opening: StepOpening = { name, options: {}, closing: 'explicit', key: null, collapsed: true };
  draft.addStep(createStep(index, opening, {}, state.openStep, state.openSteps.length, ending.lastLine, at));
  draft.patchStep(index, { status: ending.status, error_message: ending.error, completed_at: at });
  draft.recountSteps();
  draft.emitStep(index);
  draft.emitExecution();
  return { stepIndex: index, warning: null };
}

/**
 * Closes the open step at `position` in the open-step stack and every step inside it (innermost first).
 * The step at `position` ends as `ending` says; those inside end with the result a marker gave them, or completed.
 * The caller recounts and emits the execution when its counters matter (as STEP_COMPLETE always did).
 */
export function closeStepsFrom(draft: TransitionDraft, position: number, ending: StepEnding, at: number): void {
  const stack = draft.state.openSteps;
  for (let at_ = stack.length - 1; at_ >= position; at_--) {
    const frame = stack[at_] as OpenStep;
    const own =
      at_ === position
        ? ending
        : {
            status: frame.result?.status ?? 'completed',
            error: frame.result?.message ?? null,
            lastLine: ending.lastLine,
          };
    // A printed end time (GitLab's) has whole seconds: it never makes a step end before it started.
    const started = ending.printed === true ? (draft.state.steps[frame.index]?.started_at ?? at) : at;
    draft.patchStep(frame.index, {
      status: own.status,
      completed_at: Math.max(at, started),
      last_line: own.lastLine,
      close_line: at_ === position ? (ending.closeLine ?? null) : null,
      error_message: own.status === 'failed' ? own.error : null,
    });
    stack.length = at_;
    const top = stack[stack.length - 1];
    draft.update({ openStep: top === undefined ? null : top.index });
    draft.emitStep(frame.index);
  }
}

/** Position in the open-step stack of the innermost step that `matches`, or -1. */
export function findOpenStep(draft: TransitionDraft, matches: (frame: OpenStep) => boolean): number {
  const stack = draft.state.openSteps;
  for (let position = stack.length - 1; position >= 0; position--) {
    if (matches(stack[position] as OpenStep)) return position;
  }
  return -1;
}

/** The step opening past the bound opens nothing, and step markers are text from now on. */
function stopTrackingSteps(draft: TransitionDraft): MarkerOutcome {
  draft.patchExecution({ current_step_index: draft.state.openStep });
  draft.recountSteps();
  draft.emitExecution();
  const warning = `step limit reached: an execution has at most ${MAX_STEPS.toLocaleString('en-US')} steps; from here on step markers are plain text`;
  return { stepIndex: draft.state.openStep, warning: draft.noticeOnce(STEP_BOUND, warning) };
}

function createStep(
  index: number,
  opening: StepOpening,
  metadata: Record<string, unknown>,
  parent: number | null,
  depth: number,
  line: number,
  at: number,
): StepState {
  const duration = opening.options['duration'];
  const description = opening.options['description'];
  return {
    index,
    name: opening.name,
    description: typeof description === 'string' ? description : null,
    status: 'running',
    exit_code: null,
    error_message: null,
    created_at: at,
    started_at: at,
    completed_at: null,
    estimated_duration: typeof duration === 'number' && duration >= 0 ? duration : null,
    stop_on_error: opening.options['stop_on_error'] === true,
    metadata,
    first_line: line,
    last_line: line,
    close_line: null,
    parent_index: parent,
    depth,
    collapsed: opening.collapsed,
    progress: null,
    progress_message: null,
  };
}
