// Owns reading an execution's log: pages of lines by number, and the raw text as a stream.
import { AppError } from '../core/app-error.js';
import { isTerminalStatus, type ExecutionRecord } from '../core/execution.js';
import type { LogStream } from '../core/log-line.js';
import type { WireLogPage } from '../core/wire-types.js';
import type { Store } from '../store/store.js';
import { toWireLogLine } from './to-wire.js';

/** Which lines a client asked for; `step_id` null means "outside every step". */
export interface LogPageRequest {
  offset: number;
  limit: number;
  step_id?: number | null | undefined;
  stream?: LogStream | undefined;
}

/** Reads one page of a log, mapping step ids to the stored step indexes. */
export async function readLogPage(store: Store, record: ExecutionRecord, request: LogPageRequest): Promise<WireLogPage> {
  const steps = await store.listSteps(record.id);
  const stepIds = new Map(steps.map((step) => [step.index, step.id]));
  let stepIndex: number | null | undefined;
  if (request.step_id === null) stepIndex = null;
  else if (request.step_id !== undefined) {
    const step = steps.find((candidate) => candidate.id === request.step_id);
    if (!step) throw new AppError('step_not_found', `step ${request.step_id} is not a step of execution ${record.id}`, 'step_id');
    stepIndex = step.index;
  }
  const page = await store.readLogLines(record.id, { offset: request.offset, limit: request.limit, step_index: stepIndex, stream: request.stream });
  return {
    execution_id: record.id,
    lines: page.lines.map((line) => toWireLogLine(line, stepIds)),
    offset: request.offset,
    limit: request.limit,
    total_lines: page.total,
    has_more: request.offset + page.lines.length < page.total,
    is_running: !isTerminalStatus(record.status),
  };
}

const RAW_PAGE = 5000;

/** Yields the stored log as text, one chunk per page, without holding the whole log in memory. */
export async function* streamRawLog(store: Store, executionId: number): AsyncGenerator<string> {
  const last = await store.lastLogLine(executionId);
  for (let offset = 0; offset < last; offset += RAW_PAGE) {
    const page = await store.readLogLines(executionId, { offset, limit: Math.min(RAW_PAGE, last - offset) });
    if (page.lines.length === 0) return;
    yield page.lines.map((line) => `${line.content}\n`).join('');
  }
}
