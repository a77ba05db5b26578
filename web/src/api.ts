// Owns talking to the StepFlow REST API: the envelope, errors with their field, and typed calls the pages use.
import type {
  Envelope,
  WireArtifact,
  WireExecution,
  WireLogLine,
  WireLogPage,
  WireStep,
} from '../../src/core/wire-types';

/** An error answered by the API, with the field it names (for showing next to a form input). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => undefined;

/** Sets what happens when any call answers 401 (the session module shows the sign-in page). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Calls the API and unwraps the envelope; throws ApiError on any failure. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    throw new ApiError(`network error: ${(error as Error).message}`, 0, 'network', undefined);
  }
  const body = (await response.json().catch(() => null)) as Envelope<T> | null;
  if (!response.ok || !body || !body.success) {
    if (response.status === 401) onUnauthorized();
    throw new ApiError(body?.error ?? `HTTP ${response.status}`, response.status, body?.code, body?.field);
  }
  return body.data as T;
}

/** Builds a query string from defined, non-empty values. */
export function toQuery(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** GET /api/executions/{id}. */
export interface ExecutionDetail {
  execution: WireExecution;
  steps: WireStep[];
  artifacts: WireArtifact[];
}

/** A page of GET /api/executions. */
export interface ExecutionList {
  executions: WireExecution[];
  total_count: number;
  has_more: boolean;
  limit: number;
  offset: number;
}

/** A page of GET /api/artifacts. */
export interface ArtifactList {
  artifacts: WireArtifact[];
  total_count: number;
  has_more: boolean;
}

/** GET /api/executions/statistics. */
export interface Statistics {
  total_executions: number;
  /** Executions per status; finished ones (completed, failed, cancelled) are what the rate and average are of. */
  by_status: Record<string, number>;
  active_now: number;
  success_rate: number;
  avg_duration: number;
  running_now: number;
  queued_now: number;
}

/** GET /api/executions/{id}/logs/search. */
export interface SearchResult {
  offsets: number[];
  lines: number[];
  total_matches: number;
  truncated: boolean;
}

/** Body of POST /api/executions. */
export interface CreateBody {
  name?: string;
  command: string | string[];
  working_directory?: string;
  environment?: Record<string, string>;
  tags?: string[];
  timeout?: number | null;
  metadata?: Record<string, unknown>;
  runs_on?: string[];
  /** Marker dialects to read; absent: the server's default. */
  markers?: string[];
}

/** Creates an execution; answers its id. */
export async function createExecution(body: CreateBody): Promise<string> {
  const data = await api<{ execution_id: string }>('/api/executions', { method: 'POST', body: JSON.stringify(body) });
  return data.execution_id;
}

/** Reads one page of a log (optionally one step's lines, or `none` for output outside steps; optionally one stream's). */
export function fetchLogPage(
  executionId: number,
  offset: number,
  limit: number,
  stepId?: string,
  stream?: WireLogLine['stream'],
): Promise<WireLogPage> {
  return api<WireLogPage>(`/api/executions/${executionId}/logs${toQuery({ offset, limit, step_id: stepId, stream })}`);
}

/** Searches the whole stored log on the server (optionally one step's lines, one stream's). */
export function searchLog(
  executionId: number,
  q: string,
  stepId?: string,
  stream?: WireLogLine['stream'],
): Promise<SearchResult> {
  return api<SearchResult>(`/api/executions/${executionId}/logs/search${toQuery({ q, step_id: stepId, stream })}`);
}
