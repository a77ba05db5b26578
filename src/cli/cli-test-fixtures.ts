// Owns the wire objects the CLI unit tests build (executions, steps, artifacts, lines) with sensible defaults.
import type { WireArtifact, WireExecution, WireLogLine, WireStep } from '../core/wire-types.js';

/** An ended execution; override what the test is about. */
export function wireExecution(overrides: Partial<WireExecution> = {}): WireExecution {
  return {
    id: '7',
    name: 'nightly',
    command: ['./build.sh'],
    working_directory: '/w',
    status: 'completed',
    exit_code: 0,
    error_message: null,
    created_at: '2026-01-02T03:04:05.000Z',
    started_at: '2026-01-02T03:04:05.000Z',
    completed_at: '2026-01-02T03:04:07.500Z',
    environment: {},
    user: null,
    tags: [],
    total_steps: 2,
    completed_steps: 2,
    current_step_index: null,
    duration_seconds: 2.5,
    progress_percentage: 100,
    metadata: {},
    timeout: null,
    failed_steps: 0,
    host: null,
    runs_on: [],
    agent: null,
    markers: ['stepflow', 'github', 'gitlab'],
    annotation_counts: { error: 0, warning: 0, notice: 0 },
    ...overrides,
  };
}

/** A step; override what the test is about. */
export function wireStep(overrides: Partial<WireStep> = {}): WireStep {
  return {
    id: '1',
    execution_id: '7',
    name: 'Build',
    description: null,
    index: 0,
    status: 'completed',
    exit_code: null,
    error_message: null,
    created_at: '2026-01-02T03:04:05.000Z',
    started_at: '2026-01-02T03:04:05.000Z',
    completed_at: '2026-01-02T03:04:06.000Z',
    estimated_duration: null,
    stop_on_error: false,
    duration_seconds: 1,
    metadata: {},
    first_line: 1,
    last_line: 3,
    parent_id: null,
    depth: 0,
    collapsed: false,
    progress: null,
    progress_message: null,
    close_line: null,
    ...overrides,
  };
}

/** An artifact; override what the test is about. */
export function wireArtifact(overrides: Partial<WireArtifact> = {}): WireArtifact {
  return {
    id: '3',
    execution_id: '7',
    step_id: null,
    name: 'report.html',
    description: null,
    file_path: '7/x-report.html',
    file_name: 'report.html',
    file_size: 2048,
    mime_type: 'text/html',
    artifact_type: 'document',
    created_at: '2026-01-02T03:04:07.000Z',
    tags: [],
    is_public: false,
    retention_days: null,
    download_url: '/api/artifacts/3/download',
    ...overrides,
  };
}

/** A stdout line outside any step. */
export function wireLine(line: number, content = `line ${line}`, overrides: Partial<WireLogLine> = {}): WireLogLine {
  return {
    line,
    timestamp: '2026-01-02T03:04:05.000Z',
    stream: 'stdout',
    step_id: null,
    step_index: null,
    content,
    level: 'info',
    ...overrides,
  };
}
