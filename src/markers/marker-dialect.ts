// Owns the names of the marker dialects a script may speak, and reading a list of them from text.

/** Every marker dialect StepFlow reads; each has its parser in `parse-<dialect>-marker.ts`. */
export const MARKER_DIALECTS = ['stepflow', 'github', 'gitlab', 'azure', 'teamcity', 'buildkite', 'tap'] as const;

/** One marker dialect. */
export type MarkerDialect = (typeof MARKER_DIALECTS)[number];

/** The dialects a server reads when neither the execution nor STEPFLOW_MARKERS chose. */
export const DEFAULT_MARKER_DIALECTS: readonly MarkerDialect[] = Object.freeze(['stepflow', 'github', 'gitlab']);

/** True when `name` is one of MARKER_DIALECTS. */
export function isMarkerDialect(name: string): name is MarkerDialect {
  return (MARKER_DIALECTS as readonly string[]).includes(name);
}

/** Reads a list of dialect names (order kept, duplicates dropped); returns the first unknown name as `unknown`. */
export function readMarkerDialects(names: readonly string[]): { dialects: MarkerDialect[] } | { unknown: string } {
  const dialects: MarkerDialect[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (!isMarkerDialect(name)) return { unknown: raw };
    if (!dialects.includes(name)) dialects.push(name);
  }
  return { dialects };
}
