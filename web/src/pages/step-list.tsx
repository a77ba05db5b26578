// Owns the GitHub-Actions-style step list: one row per step, each expanding to its own lazily loaded log.
import { useState } from 'preact/hooks';
import type { WireExecution, WireStep } from '../../../src/core/wire-types';
import { StatusBadge } from '../components/status-badge';
import { elapsedSeconds, formatDuration } from '../format';
import type { LiveSource } from '../log-viewer/live-source';
import { LogViewer } from '../log-viewer/log-viewer';
import { useNow } from '../use-now';

function Metadata({ metadata }: { metadata: Record<string, unknown> }) {
  const entries = Object.entries(metadata).filter(([key]) => key !== 'stop_on_error');
  if (entries.length === 0) return null;
  return <dl class="metadata">{entries.map(([key, value]) => <div key={key}><dt>{key}</dt><dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd></div>)}</dl>;
}

interface ItemProps {
  executionId: number;
  stepId: string;
  title: string;
  step: WireStep | null;
  live: LiveSource | null;
  open: boolean;
  onToggle: () => void;
  now: number;
}

function StepItem({ executionId, stepId, title, step, live, open, onToggle, now }: ItemProps) {
  const duration = step ? elapsedSeconds(step.started_at, step.completed_at, step.duration_seconds, now) : null;
  const panel = `step-panel-${stepId}`;
  return (
    <li class={`step${open ? ' open' : ''}${step ? ` step-${step.status}` : ''}`} data-step={title} data-status={step?.status ?? ''}>
      <button type="button" class="step-head" aria-expanded={open} aria-controls={panel} onClick={onToggle}>
        <span class="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
        {step ? <StatusBadge status={step.status} compact /> : <span class="status compact status-none" aria-hidden="true">·</span>}
        <span class="step-name">{title}</span>
        {step?.stop_on_error && <span class="badge critical" title="stop_on_error: a failure stops the run">critical</span>}
        <span class="step-duration muted">{step ? formatDuration(duration) : ''}</span>
      </button>
      {open && (
        <div id={panel} class="step-body">
          {step?.error_message && <p class="error">{step.error_message}</p>}
          {step && <Metadata metadata={step.metadata} />}
          <LogViewer executionId={executionId} stepId={stepId} live={live} label={`Log of ${title}`} />
        </div>
      )}
    </li>
  );
}

/** Steps in order, plus "output outside steps"; running and failed steps open by themselves until the user toggles them. */
export function StepList({ execution, steps, live }: { execution: WireExecution; steps: WireStep[]; live: LiveSource | null }) {
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const now = useNow(execution.status === 'running');
  const isOpen = (key: string, step: WireStep | null) => toggled[key] ?? (step !== null && (step.status === 'failed' || step.status === 'running'));
  const toggle = (key: string, step: WireStep | null) => setToggled((t) => ({ ...t, [key]: !isOpen(key, step) }));
  return (
    <ol class="steps">
      {steps.map((step) => (
        <StepItem key={step.id} executionId={Number(execution.id)} stepId={step.id} title={step.name} step={step} live={live}
          open={isOpen(String(step.id), step)} onToggle={() => toggle(String(step.id), step)} now={now} />
      ))}
      <StepItem executionId={Number(execution.id)} stepId="none" title="Output outside steps" step={null} live={live}
        open={isOpen('none', null)} onToggle={() => toggle('none', null)} now={now} />
    </ol>
  );
}
