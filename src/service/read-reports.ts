// Owns reading an execution's annotations and step summaries into their wire shapes.
import type { AnnotationCounts } from '../core/annotation.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { WireAnnotation, WireAnnotationPage, WireStepSummary } from '../core/wire-types.js';
import type { Store } from '../store/store.js';

const NO_COUNTS: AnnotationCounts = { error: 0, warning: 0, notice: 0 };

/** One page of annotations with the counts of all reported, so a client can say how many it does not show. */
export async function readAnnotationPage(
  store: Store,
  execution: ExecutionRecord,
  page: { limit: number; offset: number },
): Promise<WireAnnotationPage> {
  const [{ annotations, kept_count: keptCount }, steps] = await Promise.all([
    store.listAnnotations(execution.id, page),
    store.listSteps(execution.id),
  ]);
  const stepIds = new Map(steps.map((step) => [step.index, String(step.id)]));
  const counts = execution.annotation_counts ?? NO_COUNTS;
  const total = counts.error + counts.warning + counts.notice;
  const wire = annotations.map(
    ({ id, execution_id: executionId, at, step_index: stepIndex, ...fields }): WireAnnotation => ({
      ...fields,
      id: String(id),
      execution_id: String(executionId),
      step_index: stepIndex,
      step_id: stepIndex === null ? null : (stepIds.get(stepIndex) ?? null),
      created_at: new Date(at).toISOString(),
    }),
  );
  return {
    annotations: wire,
    counts: { ...counts },
    total_count: total,
    kept_count: keptCount,
    limit: page.limit,
    offset: page.offset,
    more: Math.max(0, total - page.offset - wire.length),
  };
}

/** Every step summary of the execution, with the step's id. */
export async function readStepSummaries(store: Store, execution: ExecutionRecord): Promise<WireStepSummary[]> {
  const [summaries, steps] = await Promise.all([store.listStepSummaries(execution.id), store.listSteps(execution.id)]);
  const stepIds = new Map(steps.map((step) => [step.index, String(step.id)]));
  return summaries.map((summary) => ({ ...summary, step_id: stepIds.get(summary.step_index) ?? null }));
}
