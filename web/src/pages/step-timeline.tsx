// Owns the Gantt-style timeline: one bar per step from its start offset for its duration.
import type { WireExecution, WireStep } from '../../../src/core/wire-types';
import { formatDuration } from '../format';
import { useNow } from '../use-now';

/** Bars positioned relative to the execution's start; running steps grow live. */
export function StepTimeline({ execution, steps }: { execution: WireExecution; steps: WireStep[] }) {
  const now = useNow(execution.status === 'running');
  const origin = Date.parse(execution.started_at ?? execution.created_at);
  const end = execution.completed_at ? Date.parse(execution.completed_at) : now;
  const span = Math.max(1, end - origin);
  const started = steps.filter((step) => step.started_at);
  if (started.length === 0) return <p class="empty">No step has started yet.</p>;
  return (
    <div class="timeline" role="list" aria-label="Step timeline">
      {started.map((step) => {
        const from = Date.parse(step.started_at as string) - origin;
        const to = (step.completed_at ? Date.parse(step.completed_at) : now) - origin;
        const left = Math.max(0, (from / span) * 100);
        const width = Math.max(0.5, Math.min(100 - left, ((to - from) / span) * 100));
        return (
          <div class="timeline-row" role="listitem" key={step.id}>
            <span class="timeline-label ellipsis" title={step.name}>{step.name}</span>
            <div class="timeline-track">
              <div class={`timeline-bar bar-${step.status}`} style={{ left: `${left}%`, width: `${width}%` }}
                title={`${step.name}: starts at +${formatDuration(from / 1000)}, takes ${formatDuration((to - from) / 1000)} (${step.status})`} />
            </div>
            <span class="timeline-time muted">+{formatDuration(from / 1000)} · {formatDuration((to - from) / 1000)}</span>
          </div>
        );
      })}
      <div class="timeline-scale muted"><span>0s</span><span>{formatDuration(span / 1000)}</span></div>
    </div>
  );
}
