// Owns turning the engine's execution counters into the patch the store applies.
import type { ExecutionPatch } from '../core/execution.js';
import type { ExecutionCounters } from '../engine/engine-types.js';

/** The execution columns an engine progress snapshot sets (status, times and step counters). */
export function toCountersPatch(progress: ExecutionCounters): ExecutionPatch {
  return pickCounters(progress);
}

/** Just the counters of anything that carries them (an engine snapshot, a stored execution record). */
export function pickCounters(progress: ExecutionCounters): ExecutionCounters {
  return {
    status: progress.status,
    exit_code: progress.exit_code,
    error_message: progress.error_message,
    started_at: progress.started_at,
    completed_at: progress.completed_at,
    total_steps: progress.total_steps,
    completed_steps: progress.completed_steps,
    failed_steps: progress.failed_steps,
    current_step_index: progress.current_step_index,
  };
}
