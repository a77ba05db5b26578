// Owns the in-process publish/subscribe channel that carries execution events to transports.
import type { ArtifactRecord } from '../core/artifact.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { LogLine } from '../core/log-line.js';
import type { StepRecord } from '../core/step.js';

/** Everything that happens to executions, as published after it is stored. */
export type StepflowEvent =
  | { type: 'execution_created'; execution: ExecutionRecord }
  | { type: 'execution_started'; execution: ExecutionRecord }
  | { type: 'execution_updated'; execution: ExecutionRecord }
  | { type: 'step_updated'; execution_id: number; step: StepRecord }
  | { type: 'log_lines'; execution_id: number; lines: readonly LogLine[] }
  | { type: 'artifact_created'; execution_id: number; artifact: ArtifactRecord }
  | { type: 'execution_completed'; execution: ExecutionRecord; artifacts_count: number }
  | { type: 'execution_deleted'; execution_id: number };

/** A subscriber; it must not throw and must not block (the bus calls it synchronously). */
export type StepflowListener = (event: StepflowEvent) => void;

/** Typed synchronous publish/subscribe. */
export interface EventBus {
  publish(event: StepflowEvent): void;
  /** Returns the function that removes this listener. */
  subscribe(listener: StepflowListener): () => void;
  listenerCount(): number;
}

/** Creates a bus; a throwing listener is reported through onListenerError and never stops the others. */
export function createEventBus(onListenerError: (error: unknown) => void = () => {}): EventBus {
  const listeners = new Set<StepflowListener>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
  };
}
