// Owns the dashboard's list of running and queued executions with live progress bars.
import type { WireExecution } from '../../../src/core/wire-types';
import { Link } from '../components/link';
import { ProgressBar } from '../components/progress-bar';
import { StatusBadge } from '../components/status-badge';
import { elapsedSeconds, formatCount, formatDuration } from '../format';

/** Running first, then queued; each with progress and elapsed time. */
export function ActiveList({ executions, now }: { executions: WireExecution[]; now: number }) {
  if (executions.length === 0)
    return (
      <p class="empty">
        Nothing is running. Start one with <strong>New execution</strong>.
      </p>
    );
  const sorted = [...executions].sort((a, b) =>
    a.status === b.status ? Number(b.id) - Number(a.id) : a.status === 'running' ? -1 : 1,
  );
  return (
    <ul class="active-list">
      {sorted.map((execution) => (
        <li key={execution.id} class="card active-item" data-execution-id={execution.id}>
          <div class="active-head">
            <StatusBadge status={execution.status} />
            <Link href={`/executions/${execution.id}`}>
              #{execution.id} {execution.name}
            </Link>
            <span class="muted">{formatDuration(elapsedSeconds(execution.started_at, null, null, now))}</span>
          </div>
          <ProgressBar value={execution.progress_percentage} label={`Progress of execution ${execution.id}`} />
          <div class="muted small">
            {execution.total_steps > 0
              ? `${execution.completed_steps} of ${formatCount(execution.total_steps, 'step')}`
              : execution.status === 'pending'
                ? 'queued'
                : 'no steps yet'}
            {' · '}
            {Math.round(execution.progress_percentage)}%
          </div>
        </li>
      ))}
    </ul>
  );
}
