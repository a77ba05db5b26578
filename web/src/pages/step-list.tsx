// Owns the GitHub-Actions-style step list: one row per step, each expanding to its own lazily loaded, downloadable log.
import { useState } from 'preact/hooks';
import type { WireExecution, WireStep } from '../../../src/core/wire-types';
import { MetadataList } from '../components/metadata-list';
import { StatusBadge, type Status } from '../components/status-badge';
import { elapsedSeconds, formatDuration } from '../format';
import type { LiveSource } from '../log-viewer/live-source';
import { LogViewer } from '../log-viewer/log-viewer';
import { AnnotationList } from '../reports/annotation-list';
import { StepSummary } from '../reports/step-summary';
import type { Reports } from '../reports/use-reports';
import { useNow } from '../use-now';

interface ItemProps {
  execution: WireExecution;
  stepId: string;
  title: string;
  step: WireStep | null;
  live: LiveSource | null;
  open: boolean;
  onToggle: () => void;
  now: number;
  reports: Reports;
}

function downloadName(executionId: string, step: WireStep | null): string {
  return step ? `execution-${executionId}-step-${step.id}.log` : `execution-${executionId}-outside-steps.log`;
}

/** The step's own progress while it runs: a percentage and/or a message. */
function StepProgress({ step }: { step: WireStep }) {
  if (step.status !== 'running' || (step.progress === null && step.progress_message === null)) return null;
  return (
    <span class="step-progress muted" data-progress={step.progress ?? ''}>
      {step.progress !== null && <progress max={100} value={step.progress} aria-label={`${step.name} progress`} />}
      {step.progress !== null && ` ${step.progress}%`}
      {step.progress_message !== null && ` ${step.progress_message}`}
    </span>
  );
}

function StepItem({ execution, stepId, title, step, live, open, onToggle, now, reports }: ItemProps) {
  const status: Status | null = step ? step.status : null;
  const summary = step ? reports.summaries.find((candidate) => candidate.step_id === step.id) : undefined;
  const annotations = step
    ? (reports.annotations?.annotations ?? []).filter((annotation) => annotation.step_id === step.id)
    : [];
  const duration = step ? elapsedSeconds(step.started_at, step.completed_at, step.duration_seconds, now) : null;
  const panel = `step-panel-${stepId}`;
  return (
    <li
      class={`step${open ? ' open' : ''}${status ? ` step-${status}` : ''}`}
      data-step={title}
      data-status={status ?? ''}
      data-depth={step?.depth ?? 0}
      style={step && step.depth > 0 ? { marginLeft: `${Math.min(step.depth, 12) * 1.25}rem` } : undefined}
    >
      <button type="button" class="step-head" aria-expanded={open} aria-controls={panel} onClick={onToggle}>
        <span class="chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {status ? (
          <StatusBadge status={status} compact />
        ) : (
          <span class="status compact status-none" aria-hidden="true">
            ·
          </span>
        )}
        <span class="step-name">{title}</span>
        {step && <StepProgress step={step} />}
        {annotations.length > 0 && (
          <span class="badge annotations-count" title="annotations reported in this step">
            {annotations.length}
          </span>
        )}
        {step?.stop_on_error && (
          <span class="badge critical" title="stop_on_error: a failure stops the run">
            critical
          </span>
        )}
        {/* A step with no known duration shows none, rather than a dash that reads as "failed in -". */}
        <span class="step-duration muted">{duration === null ? '' : formatDuration(duration)}</span>
      </button>
      {open && (
        <div id={panel} class="step-body">
          {/* A cancelled step's message only says "cancelled", which its badge already does (and not in red). */}
          {step?.error_message && status !== 'cancelled' && <p class="error">{step.error_message}</p>}
          {step && <MetadataList metadata={step.metadata} hide={['stop_on_error']} label={`Metadata of ${title}`} />}
          <AnnotationList annotations={annotations} more={0} label={`Annotations of ${title}`} />
          {summary && <StepSummary summary={summary} label={`Summary of ${title}`} />}
          <LogViewer
            executionId={Number(execution.id)}
            stepId={stepId}
            live={live}
            label={`Log of ${title}`}
            downloadName={downloadName(execution.id, step)}
          />
        </div>
      )}
    </li>
  );
}

/** Steps in order, plus "output outside steps"; running, failed and cancelled steps open by themselves until the user toggles them. */
export function StepList({
  execution,
  steps,
  live,
  reports,
}: {
  execution: WireExecution;
  steps: WireStep[];
  live: LiveSource | null;
  reports: Reports;
}) {
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const now = useNow(execution.status === 'running');
  const isOpen = (key: string, step: WireStep | null) =>
    toggled[key] ?? (step !== null && ['failed', 'cancelled', 'running'].includes(step.status));
  const toggle = (key: string, step: WireStep | null) => setToggled((t) => ({ ...t, [key]: !isOpen(key, step) }));
  return (
    <ol class="steps">
      {steps.map((step) => (
        <StepItem
          key={step.id}
          execution={execution}
          stepId={step.id}
          title={step.name}
          step={step}
          live={live}
          open={isOpen(String(step.id), step)}
          onToggle={() => toggle(String(step.id), step)}
          now={now}
          reports={reports}
        />
      ))}
      <StepItem
        execution={execution}
        stepId="none"
        title="Output outside steps"
        step={null}
        live={live}
        open={isOpen('none', null)}
        onToggle={() => toggle('none', null)}
        now={now}
        reports={reports}
      />
    </ol>
  );
}
