// Owns the per-execution marker scanner: which dialects are read, and what reading them remembers between lines.
import { MARKER_DIALECTS, type MarkerDialect } from './marker-dialect.js';
import type { MarkerMatchMode } from './marker-event.js';
import { createTapState, type TapState } from './parse-tap-marker.js';
import { buildPlainLineStarts } from './plain-line-starts.js';

/** The state of reading one execution's output for markers; one per execution, owned by its engine state. */
export interface MarkerScanner {
  readonly dialects: ReadonlySet<MarkerDialect>;
  readonly mode: MarkerMatchMode;
  /** While set, no line is a marker except `::<token>::` (GitHub stop-commands), which clears it. */
  pausedUntil: string | null;
  /** True after `##teamcity[disableServiceMessages]`: no line is a marker until `##teamcity[enableServiceMessages]`. */
  serviceMessagesOff: boolean;
  readonly tap: TapState;
  /** Whether any dialect besides StepFlow's is read: without one, a line costs only StepFlow's own parser. */
  readonly others: boolean;
  /** `dialects` as one flag per dialect, read on every line (cheaper than a set lookup). */
  readonly reads: Readonly<Record<MarkerDialect, boolean>>;
  /** 1 for each printable ASCII first character that opens no marker of these dialects (see buildPlainLineStarts). */
  readonly plainStarts: Uint8Array;
}

/** Creates a scanner for the given dialects; StepFlow markers follow `mode`, the other dialects count only at line start. */
export function createMarkerScanner(dialects: readonly MarkerDialect[], mode: MarkerMatchMode): MarkerScanner {
  return {
    dialects: new Set(dialects),
    mode,
    pausedUntil: null,
    serviceMessagesOff: false,
    tap: createTapState(),
    others: dialects.some((dialect) => dialect !== 'stepflow'),
    reads: Object.fromEntries(MARKER_DIALECTS.map((dialect) => [dialect, dialects.includes(dialect)])) as Record<
      MarkerDialect,
      boolean
    >,
    plainStarts: buildPlainLineStarts(dialects, mode),
  };
}
