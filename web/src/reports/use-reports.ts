// Owns an execution's annotations and step summaries in the dashboard: fetched with the page, again when the counts or the status change.
import { useEffect, useState } from 'preact/hooks';
import type { WireAnnotationPage, WireExecution, WireStepSummary } from '../../../src/core/wire-types';
import { api } from '../api';

/** How many annotations the page lists; the rest is counted as "N more". */
export const ANNOTATIONS_SHOWN = 100;

/** The reports of one execution, or null until loaded. */
export interface Reports {
  annotations: WireAnnotationPage | null;
  summaries: WireStepSummary[];
}

/** Loads annotations and summaries, and reloads them when the execution reports more or ends. */
export function useReports(execution: WireExecution | null): Reports {
  const [reports, setReports] = useState<Reports>({ annotations: null, summaries: [] });
  const id = execution?.id;
  const counts = execution
    ? `${execution.annotation_counts.error}/${execution.annotation_counts.warning}/${execution.annotation_counts.notice}`
    : '';
  const status = execution?.status;
  const steps = execution?.completed_steps;
  useEffect(() => {
    if (id === undefined) return;
    let current = true;
    Promise.all([
      api<WireAnnotationPage>(`/api/executions/${id}/annotations?limit=${ANNOTATIONS_SHOWN}`),
      api<WireStepSummary[]>(`/api/executions/${id}/summaries`),
    ]).then(
      ([annotations, summaries]) => {
        if (current) setReports({ annotations, summaries });
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [id, counts, status, steps]);
  return reports;
}
