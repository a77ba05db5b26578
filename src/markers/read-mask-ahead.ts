// Owns recognising a masking marker in a line read ahead of its turn: StepFlow's MASK and ::add-mask::, and Azure's task.setsecret.
import type { MarkerScanner } from './create-marker-scanner.js';
import { parseAzureMarker } from './parse-azure-marker.js';
import { parseStepflowMarker } from './parse-stepflow-marker.js';

/** Longer lines are never read as Azure commands (as in scan-marker-line.ts). */
const MAX_DIALECT_LINE = 65_536;

/**
 * The value a line would hide if it is a masking marker of a dialect the execution reads, else null.
 * It does not change the scanner: the line is read again, in its turn, by scanMarkerLine.
 */
export function readMaskAhead(scanner: MarkerScanner, line: string): string | null {
  const own = parseStepflowMarker(line, scanner.mode);
  if (own.kind === 'mask') return own.value;
  if (!scanner.reads.azure || line.length > MAX_DIALECT_LINE) return null;
  const start = line.length - line.trimStart().length;
  if (!line.startsWith('##', start)) return null;
  const azure = parseAzureMarker(line.slice(start));
  return azure.kind === 'mask' ? azure.value : null;
}
