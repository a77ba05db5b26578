// Owns what a run's outcome reads as: "completed with N failed steps" from the API's failed_steps, and the tab title.
import type { WireExecution } from '../../../src/core/wire-types';
import { STATUS_ICONS, WARN_ICON, type Status } from './status-badge';
import { formatCount } from '../format';

/** How a run's status reads in its header and in execution lists. */
export interface Outcome {
  status: Status;
  label: string;
  warn: boolean;
}

/** "Completed with 2 failed steps" when non-critical steps failed in a completed run (the API status stays `completed`). */
export function describeOutcome(execution: Pick<WireExecution, 'status' | 'failed_steps'>): Outcome {
  // An older server sends no failed_steps: the run then reads as its status alone.
  const failed = execution.status === 'completed' ? (execution.failed_steps ?? 0) : 0;
  if (failed > 0)
    return { status: 'completed', label: `Completed with ${formatCount(failed, 'failed step')}`, warn: true };
  return {
    status: execution.status,
    label: execution.status[0]?.toUpperCase() + execution.status.slice(1),
    warn: false,
  };
}

/** "✓ #42 build — StepFlow", "⚠ #42 …" with failed steps, "Running #42 …" / "Queued #42 …" while active. */
export function describeTabTitle(execution: WireExecution): string {
  const subject = `#${execution.id} ${execution.name}`;
  if (execution.status === 'running') return `Running ${subject} — StepFlow`;
  if (execution.status === 'pending') return `Queued ${subject} — StepFlow`;
  const icon = describeOutcome(execution).warn ? WARN_ICON : STATUS_ICONS[execution.status];
  return `${icon} ${subject} — StepFlow`;
}
