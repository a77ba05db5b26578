// Owns how a status reads: an icon and a word, never colour alone.
import type { WireExecution, WireStep } from '../../../src/core/wire-types';

/** Every status a badge can show (a step interrupted by a cancel is shown as `cancelled`). */
export type Status = WireExecution['status'] | WireStep['status'];

/** The icon of each status, also used in the tab title. */
export const STATUS_ICONS: Record<Status, string> = {
  pending: '◷',
  running: '◐',
  completed: '✓',
  failed: '✕',
  cancelled: '⊘',
  skipped: '↷',
};

/** The icon of a run that completed while some of its steps failed. */
export const WARN_ICON = '⚠';

interface BadgeProps {
  status: Status;
  compact?: boolean;
  /** Words to show instead of the status (e.g. "Completed with 2 failed steps"). */
  label?: string;
  /** Drawn as a warning: the run completed, but not cleanly. */
  warn?: boolean;
}

/** A status pill: icon + text, coloured by status. */
export function StatusBadge({ status, compact = false, label, warn = false }: BadgeProps) {
  const classes = `status status-${status}${warn ? ' status-warn' : ''}${compact ? ' compact' : ''}${label ? ' labelled' : ''}`;
  return (
    <span class={classes} title={label ?? status}>
      <span class="status-icon" aria-hidden="true">
        {warn ? WARN_ICON : STATUS_ICONS[status]}
      </span>
      <span class={compact ? 'visually-hidden' : 'status-text'}>{label ?? status}</span>
    </span>
  );
}

/** True while an execution may still change. */
export function isActive(status: Status): boolean {
  return status === 'pending' || status === 'running';
}
