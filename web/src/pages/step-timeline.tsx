// Owns the Gantt-style timeline: one bar per step from its start offset for its duration.
import type { WireExecution, WireStep } from '../../../src/core/wire-types';
import { formatDuration } from '../format';
import { useNow } from '../use-now';

interface Bar {
  step: WireStep;
  /** Milliseconds from the run's start to the step's start, and to its end (now while it runs); never negative. */
  from: number;
  to: number;
}

/** Offsets of each started step; a browser clock behind the server's would make a running step end before it began, so ends are clamped. */
function measure(execution: WireExecution, steps: WireStep[], now: number): { bars: Bar[]; span: number } {
  const origin = Date.parse(execution.started_at ?? execution.created_at);
  const bars = steps
    .filter((step) => step.started_at)
    .map((step) => {
      const from = Math.max(0, Date.parse(step.started_at as string) - origin);
      const to = Math.max(from, (step.completed_at ? Date.parse(step.completed_at) : now) - origin);
      return { step, from, to };
    });
  const end = execution.completed_at ? Date.parse(execution.completed_at) - origin : now - origin;
  return { bars, span: Math.max(1, end, ...bars.map((bar) => bar.to)) };
}

/** Bars positioned relative to the execution's start; running steps grow live. */
export function StepTimeline({ execution, steps }: { execution: WireExecution; steps: WireStep[] }) {
  const now = useNow(execution.status === 'running');
  const { bars, span } = measure(execution, steps, now);
  if (bars.length === 0) return <p class="empty">No step has started yet.</p>;
  return (
    <div class="timeline" role="list" aria-label="Step timeline">
      {bars.map(({ step, from, to }) => {
        const status = step.status;
        const left = (from / span) * 100;
        const width = Math.max(0.5, Math.min(100 - left, ((to - from) / span) * 100));
        return (
          <div class="timeline-row" role="listitem" key={step.id}>
            <span class="timeline-label ellipsis" title={step.name}>
              {step.name}
            </span>
            <div class="timeline-track">
              <div
                class={`timeline-bar bar-${status}`}
                style={{ left: `${left}%`, width: `${width}%` }}
                title={`${step.name}: starts at +${formatDuration(from / 1000)}, takes ${formatDuration((to - from) / 1000)} (${status})`}
              />
            </div>
            <span class="timeline-time muted">
              +{formatDuration(from / 1000)} · {formatDuration((to - from) / 1000)}
            </span>
          </div>
        );
      })}
      <div class="timeline-scale muted">
        <span>0s</span>
        <span>{formatDuration(span / 1000)}</span>
      </div>
    </div>
  );
}
