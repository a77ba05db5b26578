// Owns telling which script lines `run` shows in its own words (step headers, annotations, summary) rather than as printed.
import type { WireLogLine } from '../core/wire-types.js';
import { createMarkerScanner } from '../markers/create-marker-scanner.js';
import { DEFAULT_MARKER_DIALECTS, readMarkerDialects } from '../markers/marker-dialect.js';
import type { MarkerEvent } from '../markers/marker-event.js';
import { parseStepflowMarker } from '../markers/parse-stepflow-marker.js';
import { scanMarkerLine } from '../markers/scan-marker-line.js';

/**
 * True for a script line that is a marker StepFlow acted on (STEP_START, STEP_COMPLETE, STEP_ERROR, ARTIFACT, META,
 * MASK, ::add-mask::), read with the server's default rule: the marker begins the line. A malformed marker and
 * StepFlow's own lines stay visible, so nothing that explains a warning is hidden.
 */
export function isMarkerLine(line: Pick<WireLogLine, 'content' | 'stream'>): boolean {
  if (line.stream === 'system') return false;
  const kind = parseStepflowMarker(line.content, 'line_start').kind;
  return kind !== 'text' && kind !== 'malformed';
}

/** What `run` does with one line: show it as printed, leave it out (its step header says it), or show an annotation. */
export type MarkerLineView =
  { show: 'line' } | { show: 'nothing' } | { show: 'annotation'; event: Extract<MarkerEvent, { kind: 'annotation' }> };

/**
 * Reads lines, in order, with the execution's dialects (stop-commands and TAP state included, as the engine read them):
 * a marker line is left out, an annotation shown in `run`'s words, anything else (malformed markers too) as printed.
 */
export function createMarkerLineReader(
  markers: readonly string[],
): (line: Pick<WireLogLine, 'content' | 'stream'>) => MarkerLineView {
  const read = readMarkerDialects(markers);
  // An execution from a server before dialects (no list) or an unknown name reads with the default dialects.
  const dialects = 'dialects' in read && read.dialects.length > 0 ? read.dialects : DEFAULT_MARKER_DIALECTS;
  const scanner = createMarkerScanner(dialects, 'line_start');
  return (line) => {
    if (line.stream === 'system') return { show: 'line' };
    const event = scanMarkerLine(scanner, line.content, line.stream);
    if (event.kind === 'annotation') return { show: 'annotation', event };
    return event.kind === 'text' || event.kind === 'malformed' ? { show: 'line' } : { show: 'nothing' };
  };
}
