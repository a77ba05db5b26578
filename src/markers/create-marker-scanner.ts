// Owns the per-execution marker scanner: which dialects are read, and what reading them remembers between lines.
import { MARKER_DIALECTS, type MarkerDialect } from './marker-dialect.js';
import type { MarkerMatchMode } from './marker-event.js';
import { createTapState, type TapState } from './parse-tap-marker.js';
import { buildFirstCharacterRoutes } from './first-character-routes.js';

/** The state of reading one execution's output for markers; one per execution, owned by its engine state. */
export interface MarkerScanner {
  readonly dialects: ReadonlySet<MarkerDialect>;
  readonly mode: MarkerMatchMode;
  /** While set, no line is a marker except `::<token>::` (GitHub stop-commands), which clears it. */
  pausedUntil: string | null;
  /** True after `##teamcity[disableServiceMessages]`: no line is a marker until `##teamcity[enableServiceMessages]`. */
  serviceMessagesOff: boolean;
  readonly tap: TapState;
  /** `tap` when TAP is read, else null: the one look per stdout line that says whether TAP state is kept. */
  readonly tapState: TapState | null;
  /** True in `anywhere` mode with StepFlow read: its parser reads every line before the first-character table. */
  readonly stepflowAnywhere: boolean;
  /** `dialects` as one flag per dialect, read on every line (cheaper than a set lookup). */
  readonly reads: Readonly<Record<MarkerDialect, boolean>>;
  /** Route bits by a line's first ASCII character (see buildFirstCharacterRoutes); 0 means plain text. */
  readonly routes: Uint8Array;
  /** The route of a line that is empty or starts with a non-ASCII character. */
  readonly wideRoute: number;
}

/** Creates a scanner for the given dialects; StepFlow markers follow `mode`, the other dialects count only at line start. */
export function createMarkerScanner(dialects: readonly MarkerDialect[], mode: MarkerMatchMode): MarkerScanner {
  const tap = createTapState();
  const routes = buildFirstCharacterRoutes(dialects, mode);
  return {
    dialects: new Set(dialects),
    mode,
    pausedUntil: null,
    serviceMessagesOff: false,
    tap,
    tapState: dialects.includes('tap') ? tap : null,
    stepflowAnywhere: mode === 'anywhere' && dialects.includes('stepflow'),
    reads: Object.fromEntries(MARKER_DIALECTS.map((dialect) => [dialect, dialects.includes(dialect)])) as Record<
      MarkerDialect,
      boolean
    >,
    routes: routes.table,
    wideRoute: routes.wide,
  };
}
