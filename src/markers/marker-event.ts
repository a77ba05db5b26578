// Owns the result type of parsing one output line for markers.

/** A recognised marker, or plain text, or a line that looked like a marker but was malformed. */
export type MarkerEvent =
  | { kind: 'text' }
  | { kind: 'step_start'; name: string; options: Record<string, unknown> }
  | { kind: 'step_complete'; name: string }
  | { kind: 'step_error'; message: string }
  | { kind: 'artifact'; path: string; description: string | null }
  | { kind: 'meta'; key: string; value: unknown }
  /** `MASK:value` or GitHub's `::add-mask::value`: hide `value` from here on. */
  | { kind: 'mask'; value: string }
  | { kind: 'malformed'; warning: string };

/** Where a marker token may appear: only at line start (ours), or anywhere (the old tool's mode). */
export type MarkerMatchMode = 'line_start' | 'anywhere';
