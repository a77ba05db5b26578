// Owns how an execution's status reads in the CLI: "completed with 2 failed steps" when non-critical steps failed, coloured.
import type { WireExecution } from '../core/wire-types.js';
import { colorStatus, type Colors } from './color-status.js';

/** The status as words: a completed run whose non-critical steps failed says so (the API status stays `completed`). */
export function describeExecutionStatus(execution: Pick<WireExecution, 'status' | 'failed_steps'>): string {
  // An older server sends no failed_steps.
  const failed = execution.status === 'completed' ? (execution.failed_steps ?? 0) : 0;
  return failed > 0 ? `completed with ${failed} failed step${failed === 1 ? '' : 's'}` : execution.status;
}

/** Colours `text` (the described status by default): yellow for a completed run with failed steps, else as its status. */
export function colorExecutionStatus(
  execution: Pick<WireExecution, 'status' | 'failed_steps'>,
  colors: Colors,
  text: string = describeExecutionStatus(execution),
): string {
  return text === execution.status ? colorStatus(execution.status, colors, text) : colors.yellow(text);
}
