// Owns the initial engine state of an execution that has not started yet.
import type { EngineOptions, EngineState } from './engine-types.js';
import { resolveTotalSteps } from './resolve-total-steps.js';
import { createSecretMask } from './secret-mask.js';

/**
 * Creates the state of a pending execution. `metadata` is the execution's own metadata (from its
 * request); META markers are merged into it, so passing it keeps the caller's keys in every
 * execution_changed effect.
 */
export function createEngineState(options: EngineOptions, metadata: Record<string, unknown> = {}): EngineState {
  const ownMetadata = structuredClone(metadata);
  return {
    options: { ...options },
    execution: {
      status: 'pending',
      exit_code: null,
      error_message: null,
      started_at: null,
      completed_at: null,
      total_steps: resolveTotalSteps(ownMetadata, 0),
      completed_steps: 0,
      current_step_index: null,
      metadata: ownMetadata,
    },
    steps: [],
    openStep: null,
    lastLine: 0,
    stopping: null,
    secrets: createSecretMask(options.secrets ?? []),
  };
}
