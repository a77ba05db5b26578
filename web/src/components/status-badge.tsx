// Owns how a status reads: an icon and a word, never colour alone.
import type { WireExecution, WireStep } from '../../../src/core/wire-types';

type Status = WireExecution['status'] | WireStep['status'];

const ICONS: Record<Status, string> = {
  pending: '◷',
  running: '◐',
  completed: '✓',
  failed: '✕',
  cancelled: '⊘',
  skipped: '↷',
};

/** A status pill: icon + text, coloured by status. */
export function StatusBadge({ status, compact = false }: { status: Status; compact?: boolean }) {
  return (
    <span class={`status status-${status}${compact ? ' compact' : ''}`} title={status}>
      <span class="status-icon" aria-hidden="true">{ICONS[status]}</span>
      <span class={compact ? 'visually-hidden' : 'status-text'}>{status}</span>
    </span>
  );
}

/** True while an execution may still change. */
export function isActive(status: Status): boolean {
  return status === 'pending' || status === 'running';
}
