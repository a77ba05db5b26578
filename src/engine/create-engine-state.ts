// Owns the initial engine state of an execution that has not started yet.
import { DEFAULT_MARKER_DIALECTS } from '../markers/marker-dialect.js';
import { createMarkerScanner } from '../markers/create-marker-scanner.js';
import type { EngineOptions, EngineState } from './engine-types.js';
import { measureMetadata } from './measure-metadata.js';
import { resolveTotalSteps } from './resolve-total-steps.js';
import { createSecretMask } from './secret-mask.js';

/**
 * Creates the state of a pending execution. `metadata` is the execution's own metadata (from its
 * request); META markers are merged into a copy of it, and its size counts against the metadata
 * bounds like any META line.
 */
export function createEngineState(options: EngineOptions, metadata: Record<string, unknown> = {}): EngineState {
  const ownMetadata = structuredClone(metadata);
  const executionMeta = measureMetadata(ownMetadata);
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
      failed_steps: 0,
      current_step_index: null,
      metadata: ownMetadata,
    },
    steps: [],
    completedSteps: 0,
    failedSteps: 0,
    openStep: null,
    openSteps: [],
    lastHeaderStep: null,
    lastTestPointStep: null,
    scanner: createMarkerScanner(options.markers ?? DEFAULT_MARKER_DIALECTS, options.markerMode),
    lastLine: 0,
    stopping: null,
    secrets: createSecretMask(options.secrets ?? []),
    usage: {
      artifacts: 0,
      maskedValues: 0,
      maskedBytes: 0,
      executionMeta,
      stepMeta: { keys: 0, bytes: 0 },
      metaBytes: executionMeta.bytes,
      annotations: { error: 0, warning: 0, notice: 0 },
      testPoints: { completed: 0, failed: 0, skipped: 0 },
      noticed: new Set(),
    },
  };
}
