// Owns the colour of each execution and step status, so run, list and the summary agree.
import type pc from 'picocolors';
import type { ExecutionStatus } from '../core/execution.js';
import type { StepStatus } from '../core/step.js';

/** picocolors' formatter set (picocolors exports no name for it). */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colours a status word: green done, red failed, yellow cancelled/skipped, cyan running, dim pending. */
export function colorStatus(status: ExecutionStatus | StepStatus, colors: Colors, text: string = status): string {
  switch (status) {
    case 'completed':
      return colors.green(text);
    case 'failed':
      return colors.red(text);
    case 'cancelled':
    case 'skipped':
      return colors.yellow(text);
    case 'running':
      return colors.cyan(text);
    default:
      return colors.dim(text);
  }
}
