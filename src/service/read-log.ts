// Owns reading an execution's log: pages of lines by number, and the raw text as a stream.
import { AppError } from '../core/app-error.js';
import { isTerminalStatus, type ExecutionRecord } from '../core/execution.js';
import type { LogStream } from '../core/log-line.js';
import type { WireLogPage } from '../core/wire-types.js';
import type { StepRecord } from '../core/step.js';
import type { LogQuery, Store } from '../store/store.js';
import { toWireLogLine } from './to-wire.js';

/** Which lines a client asked for; `step_id` null means "outside every step". */
export interface LogPageRequest {
  offset: number;
  limit: number;
  step_id?: number | null | undefined;
  stream?: LogStream | undefined;
}

/** Which lines a raw download holds: one step's (null: outside every step) and/or one stream's; empty means all. */
export type RawLogFilter = Pick<LogPageRequest, 'step_id' | 'stream'>;

/** Maps a client's step id to the stored step index (step ids are what clients see; the log stores indexes). */
export function stepIndexOf(
  steps: readonly StepRecord[],
  executionId: number,
  stepId: number | null | undefined,
): number | null | undefined {
  if (stepId === null || stepId === undefined) return stepId;
  const step = steps.find((candidate) => candidate.id === stepId);
  if (!step)
    throw new AppError('step_not_found', `step ${stepId} is not a step of execution ${executionId}`, 'step_id');
  return step.index;
}

/** Reads one page of a log, mapping step ids to the stored step indexes. */
export async function readLogPage(
  store: Store,
  record: ExecutionRecord,
  request: LogPageRequest,
): Promise<WireLogPage> {
  const steps = await store.listSteps(record.id);
  const stepIds = new Map(steps.map((step) => [step.index, step.id]));
  const stepIndex = stepIndexOf(steps, record.id, request.step_id);
  const page = await store.readLogLines(record.id, {
    offset: request.offset,
    limit: request.limit,
    step_index: stepIndex,
    stream: request.stream,
  });
  return {
    execution_id: String(record.id),
    lines: page.lines.map((line) => toWireLogLine(line, stepIds)),
    offset: request.offset,
    limit: request.limit,
    total_lines: page.total,
    has_more: request.offset + page.lines.length < page.total,
    is_running: !isTerminalStatus(record.status),
  };
}

const RAW_PAGE = 5000;

/** Checks a raw download's filter (an unknown step is step_not_found) and yields the matching text, one chunk per page. */
export async function streamRawLog(
  store: Store,
  executionId: number,
  filter: RawLogFilter = {},
): Promise<AsyncGenerator<string>> {
  if (filter.step_id === undefined && filter.stream === undefined) return streamWholeLog(store, executionId);
  const stepIndex = stepIndexOf(await store.listSteps(executionId), executionId, filter.step_id);
  return streamFilteredLog(store, executionId, { step_index: stepIndex, stream: filter.stream });
}

async function* streamFilteredLog(
  store: Store,
  executionId: number,
  query: Pick<LogQuery, 'step_index' | 'stream'>,
): AsyncGenerator<string> {
  for (let offset = 0; ; offset += RAW_PAGE) {
    const page = await store.readLogLines(executionId, { ...query, offset, limit: RAW_PAGE });
    if (page.lines.length > 0) yield page.lines.map((line) => `${line.content}\n`).join('');
    if (page.lines.length === 0 || offset + page.lines.length >= page.total) return;
  }
}

/** Yields the stored log as text, one chunk per page, without holding the whole log in memory. */
async function* streamWholeLog(store: Store, executionId: number): AsyncGenerator<string> {
  const last = await store.lastLogLine(executionId);
  for (let offset = 0; offset < last; offset += RAW_PAGE) {
    const page = await store.readLogLines(executionId, { offset, limit: Math.min(RAW_PAGE, last - offset) });
    if (page.lines.length === 0) return;
    yield page.lines.map((line) => `${line.content}\n`).join('');
  }
}
