// Owns the step markers of the other dialects: groups and sections, Buildkite headers, TAP test points, Azure results.
import type { MarkerEvent } from '../markers/marker-event.js';
import { TAP_SUBTEST_KEY } from '../markers/parse-tap-marker.js';
import { MAX_PRINTED_TIME_SKEW_MS, MAX_TEST_POINT_STEPS } from './engine-limits.js';
import type { MarkerOutcome } from './engine-types.js';
import { addFinishedStep, closeStepsFrom, findOpenStep, openStepInTree } from './step-tree.js';
import type { TransitionDraft } from './transition-draft.js';

type GroupStart = Extract<MarkerEvent, { kind: 'group_start' }>;
type GroupEnd = Extract<MarkerEvent, { kind: 'group_end' }>;
type TestPoint = Extract<MarkerEvent, { kind: 'test_point' }>;

/** Opens a group inside the innermost open step; a Buildkite header first ends the header step it follows. */
export function applyGroupStart(draft: TransitionDraft, marker: GroupStart, line: number, at: number): MarkerOutcome {
  if (marker.closing === 'next_header') {
    const previous = findOpenStep(draft, (frame) => frame.closing === 'next_header');
    if (previous >= 0) closeStepsFrom(draft, previous, { status: 'completed', error: null, lastLine: line - 1 }, at);
  }
  const outcome = openStepInTree(
    draft,
    { name: marker.name, options: {}, closing: marker.closing, key: marker.key, collapsed: marker.collapsed },
    line,
    printedTime(draft, marker.printedAt, at),
  );
  if (marker.closing === 'next_header' && outcome.stepIndex !== null) draft.state.lastHeaderStep = outcome.stepIndex;
  return outcome;
}

/**
 * Closes the named group (and every step inside it), or the innermost unnamed group. A close marker
 * that matches no open group changes nothing: it stays a plain line, as on the CI that defined it.
 */
export function applyGroupEnd(draft: TransitionDraft, marker: GroupEnd, at: number): MarkerOutcome {
  const position = findOpenStep(draft, (frame) => frame.closing === 'explicit' && frame.key === marker.key);
  const frame = draft.state.openSteps[position];
  if (frame === undefined) return { stepIndex: draft.state.openStep, warning: null };
  // A TAP test point that closes its subtest: a YAML block after it reports on the subtest's step.
  if (marker.key?.startsWith(TAP_SUBTEST_KEY) === true) draft.state.lastTestPointStep = frame.index;
  const status = marker.status ?? frame.result?.status ?? 'completed';
  const error = status === 'failed' ? (marker.message ?? frame.result?.message ?? 'failed') : null;
  const when = printedTime(draft, marker.printedAt, at);
  const lastLine = draft.state.lastLine;
  closeStepsFrom(draft, position, { status, error, lastLine, closeLine: lastLine, printed: when !== at }, when);
  draft.recountSteps();
  draft.emitExecution();
  return { stepIndex: frame.index, warning: null };
}

/**
 * The time a marker says it happened (GitLab's section timestamps), when it is within MAX_PRINTED_TIME_SKEW_MS of the
 * receive time `at`; never before the execution started. Otherwise the receive time.
 */
function printedTime(draft: TransitionDraft, printedAt: number | undefined, at: number): number {
  if (printedAt === undefined || !(Math.abs(printedAt - at) <= MAX_PRINTED_TIME_SKEW_MS)) return at;
  return Math.max(printedAt, draft.state.execution.started_at ?? printedAt);
}

/** Buildkite's `^^^ +++`: shows the previous header's step expanded. */
export function applyGroupExpand(draft: TransitionDraft): MarkerOutcome {
  const index = draft.state.lastHeaderStep;
  if (index !== null) {
    draft.patchStep(index, { collapsed: false });
    draft.emitStep(index);
  }
  return { stepIndex: draft.state.openStep, warning: null };
}

/** Azure's task.complete: the innermost open step ends with this result when it closes (a failed exit still fails it). */
export function applyStepResult(
  draft: TransitionDraft,
  status: 'completed' | 'failed',
  message: string | null,
): MarkerOutcome {
  const frame = draft.state.openSteps[draft.state.openSteps.length - 1];
  if (frame !== undefined) frame.result = { status, message };
  return { stepIndex: draft.state.openStep, warning: null };
}

/** A TAP test point becomes a finished step, up to MAX_TEST_POINT_STEPS; later ones are counted and summed up at exit. */
export function applyTestPoint(draft: TransitionDraft, marker: TestPoint, line: number, at: number): MarkerOutcome {
  const counted = countTestPoint(draft, marker.status);
  if (counted > MAX_TEST_POINT_STEPS) {
    const warning = `more than ${MAX_TEST_POINT_STEPS} TAP test points: later ones are counted, not shown as steps; a summary follows when the run ends`;
    draft.state.lastTestPointStep = null;
    return { stepIndex: draft.state.openStep, warning: draft.noticeOnce('test_points', warning) };
  }
  const outcome = addFinishedStep(
    draft,
    marker.name,
    { status: marker.status, error: marker.message, lastLine: line },
    at,
  );
  draft.state.lastTestPointStep = outcome.stepIndex === draft.state.openStep ? null : outcome.stepIndex;
  return outcome;
}

/** Counts one test point by outcome and returns how many there have been. */
function countTestPoint(draft: TransitionDraft, status: TestPoint['status']): number {
  const points = draft.state.usage.testPoints;
  points[status]++;
  return points.completed + points.failed + points.skipped;
}
