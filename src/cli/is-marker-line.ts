// Owns telling which script lines `run` leaves out because it shows what they did in its own words (step headers, summary).
import type { WireLogLine } from '../core/wire-types.js';
import { parseStepflowMarker } from '../markers/parse-stepflow-marker.js';

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
