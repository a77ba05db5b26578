// Owns the HTTP calls the benchmarks make; accepts both StepFlow's envelope and the old tool's bare shapes.
import { isTerminalStatus } from '../../src/core/execution.js';

/** Unwraps `{success, data}` envelopes; passes bare JSON through (the old tool's shapes). */
export function unwrap<T>(body: unknown): T {
  if (body && typeof body === 'object' && 'success' in body && 'data' in body) return (body as { data: T }).data;
  return body as T;
}

/** GETs a JSON route and returns its data, throwing on a non-2xx status. */
export async function getJson<T>(base: string, path: string): Promise<T> {
  const response = await fetch(base + path);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return unwrap<T>(await response.json());
}

/** Creates an execution and returns its id (`execution_id`, or the old tool's `id`). */
export async function createExecution(base: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${base}/api/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`POST /api/executions: ${response.status} ${await response.text()}`);
  // StepFlow sends ids as strings ("42"), the old tool as numbers: the benchmarks work with the number.
  const data = unwrap<{ execution_id?: number | string; id?: number | string }>(await response.json());
  const id = data.execution_id ?? data.id;
  if (id === undefined) throw new Error('POST /api/executions returned no id');
  return Number(id);
}

/** An execution's status fields as the benchmarks need them. */
export interface ExecutionStatusView {
  id: number;
  status: string;
  started_at: string | null;
  completed_at: string | null;
}

/** Polls an execution until it has ended. */
export async function waitUntilEnded(
  base: string,
  id: number,
  timeoutMs: number,
  pollMs = 50,
): Promise<ExecutionStatusView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const detail = await getJson<{ execution?: ExecutionStatusView } & ExecutionStatusView>(
      base,
      `/api/executions/${id}`,
    );
    const execution = detail.execution ?? detail;
    if (isTerminalStatus(execution.status)) return execution;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${execution.status} after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, pollMs));
  }
}
