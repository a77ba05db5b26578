// Owns the markers that report on a step without changing its shape: annotations, progress and summaries.
import type { MarkerEvent } from '../markers/marker-event.js';
import { MAX_ANNOTATIONS } from './engine-limits.js';
import type { MarkerOutcome } from './engine-types.js';
import type { TransitionDraft } from './transition-draft.js';

type Annotation = Extract<MarkerEvent, { kind: 'annotation' }>;

/**
 * Reports an annotation of the innermost open step (a TAP diagnostic: of its test point's step), linked to its own log
 * line; past MAX_ANNOTATIONS it is only counted.
 */
export function applyAnnotation(draft: TransitionDraft, marker: Annotation, line: number, at: number): MarkerOutcome {
  const counts = draft.state.usage.annotations;
  const kept = counts.error + counts.warning + counts.notice < MAX_ANNOTATIONS;
  counts[marker.level]++;
  const { kind: _kind, onTestPoint, ...fields } = marker;
  const open = draft.state.openStep;
  const stepIndex = onTestPoint === true ? (draft.state.lastTestPointStep ?? open) : open;
  draft.emitAnnotation({ ...fields, step_index: stepIndex, log_line: line, at }, kept);
  // The marker's own line belongs to the open step, like any line.
  return { stepIndex: open, warning: null };
}

/** Sets the innermost open step's progress; a marker outside every step changes nothing (execution progress counts steps). */
export function applyProgress(draft: TransitionDraft, percent: number | null, message: string | null): MarkerOutcome {
  const index = draft.state.openStep;
  if (index === null) return { stepIndex: null, warning: null };
  const step = draft.state.steps[index];
  draft.patchStep(index, { progress: percent ?? step?.progress ?? null, progress_message: message });
  draft.emitStep(index);
  return { stepIndex: index, warning: null };
}

/** Asks the host to read `path` as the innermost open step's summary when that step ends. */
export function applySummary(draft: TransitionDraft, path: string, at: number): MarkerOutcome {
  const index = draft.state.openStep;
  draft.emit({ type: 'summary', path, step_index: index, at });
  return { stepIndex: index, warning: null };
}
