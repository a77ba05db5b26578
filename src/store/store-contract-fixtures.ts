// Owns the inputs and the open/cleanup wrapper shared by the store contract suite's parts.
import type { NewExecution } from '../core/execution.js';
import type { LogLine, LogStream } from '../core/log-line.js';
import type { StepState } from '../core/step.js';
import type { NewArtifact, Store } from './store.js';

/** Opens a fresh, empty store; `cleanup` closes it and removes its data. */
export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** Runs `fn` against a fresh store and always cleans up afterwards. */
export async function withStore(open: OpenStore, fn: (store: Store) => Promise<void>): Promise<void> {
  const { store, cleanup } = await open();
  try {
    await fn(store);
  } finally {
    await cleanup();
  }
}

/** A valid NewExecution with the given fields replaced. */
export function newExecution(overrides: Partial<NewExecution> = {}): NewExecution {
  return {
    name: 'build',
    command: 'echo hello',
    working_directory: '/tmp',
    environment: {},
    tags: [],
    metadata: {},
    user: null,
    timeout_seconds: null,
    runs_on: [],
    markers: null,
    ...overrides,
  };
}

/** A completed step state with the given fields replaced. */
export function newStep(index: number, overrides: Partial<StepState> = {}): StepState {
  return {
    index,
    name: `step ${index}`,
    description: null,
    status: 'completed',
    exit_code: 0,
    error_message: null,
    created_at: 1_000 + index,
    started_at: 1_000 + index,
    completed_at: 2_000 + index,
    estimated_duration: null,
    stop_on_error: true,
    metadata: {},
    first_line: null,
    last_line: null,
    parent_index: null,
    depth: 0,
    collapsed: false,
    progress: null,
    progress_message: null,
    close_line: null,
    ...overrides,
  };
}

/** Log lines numbered `from`..`to` inclusive, all in one step (or none) and stream. */
export function logLines(from: number, to: number, stepIndex: number | null, stream: LogStream = 'stdout'): LogLine[] {
  const lines: LogLine[] = [];
  for (let line = from; line <= to; line++) {
    lines.push({ line, ts: 1_700_000_000_000 + line, stream, step_index: stepIndex, content: `line ${line}` });
  }
  return lines;
}

/** A valid NewArtifact of the execution with the given fields replaced. */
export function newArtifact(executionId: number, overrides: Partial<NewArtifact> = {}): NewArtifact {
  return {
    execution_id: executionId,
    step_id: null,
    name: 'report',
    description: null,
    file_path: `${executionId}/report.txt`,
    file_name: 'report.txt',
    file_size: 42,
    mime_type: 'text/plain',
    artifact_type: 'document',
    created_at: 5_000,
    tags: [],
    is_public: false,
    retention_days: null,
    ...overrides,
  };
}
