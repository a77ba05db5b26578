// Owns the rule from an ended execution to the CLI's own exit code.
import type { WireExecution } from '../core/wire-types.js';

/** Exit code mirroring the execution: its own code, 1 for a failure without one, 130 for cancelled. */
export function exitCodeFor(execution: Pick<WireExecution, 'status' | 'exit_code'>): number {
  const code = execution.exit_code;
  const usable = code !== null && Number.isInteger(code) && code >= 1 && code <= 255;
  switch (execution.status) {
    case 'completed':
      return usable ? code : 0;
    case 'failed':
      return usable ? code : 1;
    case 'cancelled':
      return 130;
    default:
      return 1;
  }
}
