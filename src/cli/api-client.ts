// Owns talking to a StepFlow server over HTTP: JSON envelopes in and out, and turning failures into one-line CliErrors.
import { errorCode } from '../core/error-code.js';
import type { Envelope } from '../core/wire-types.js';
import { CliError } from './cli-error.js';

/** Query values; undefined ones are left out. */
export type Query = Record<string, string | number | undefined>;

/** The REST calls the client commands make. */
export interface ApiClient {
  /** The server's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** GETs a JSON route and returns its envelope's data. */
  get<T>(path: string, query?: Query): Promise<T>;
  /** POSTs JSON to a route and returns its envelope's data; `timeoutMs` overrides the default. */
  post<T>(path: string, body?: unknown, timeoutMs?: number): Promise<T>;
  /** GETs a file (path or absolute URL) and returns the response, checked to be 2xx. */
  download(pathOrUrl: string): Promise<Response>;
  /** The live feed's URL: ws(s)://host[/prefix]/ws. */
  websocketUrl(): string;
  /** Headers that authenticate the client (empty without a key); the live feed sends them too. */
  readonly authHeaders: Record<string, string>;
}

/** A server's error answer: its message and machine code, exit code 1. */
export class ApiError extends CliError {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, status: number, code: string | undefined) {
    super(code ? `${message} (${code})` : message, 1);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Builds a client for the server at `baseUrl` (already checked by parseServerUrl), sending `apiKey` as a Bearer token when given. */
export function createApiClient(baseUrl: string, fetchImpl: typeof fetch = fetch, apiKey?: string): ApiClient {
  const authHeaders: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const send = async (method: string, path: string, body: unknown, timeoutMs: number): Promise<Response> => {
    const init: RequestInit = {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json', ...authHeaders },
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    try {
      return await fetchImpl(resolveUrl(baseUrl, path), init);
    } catch (err) {
      throw new CliError(`cannot reach ${baseUrl}: ${describeNetworkError(err)}`, 1);
    }
  };
  return {
    baseUrl,
    authHeaders,
    get: async (path, query) =>
      readEnvelope(await send('GET', path + queryString(query), undefined, REQUEST_TIMEOUT_MS)),
    post: async (path, body, timeoutMs = REQUEST_TIMEOUT_MS) =>
      readEnvelope(await send('POST', path, body ?? {}, timeoutMs)),
    async download(pathOrUrl) {
      const response = await send('GET', pathOrUrl, undefined, REQUEST_TIMEOUT_MS);
      if (!response.ok) await readEnvelope(response);
      return response;
    },
    websocketUrl: () => `${baseUrl.replace(/^http/, 'ws')}/ws`,
  };
}

// Relative download URLs and route paths live under the base URL, which may carry a path prefix.
function resolveUrl(baseUrl: string, pathOrUrl: string): string {
  return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : baseUrl + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl;
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function readEnvelope<T>(response: Response): Promise<T> {
  const text = await response.text();
  let envelope: Envelope<T> | undefined;
  try {
    envelope = JSON.parse(text) as Envelope<T>;
  } catch {
    envelope = undefined;
  }
  if (response.ok && envelope?.success && envelope.data !== null) return envelope.data;
  if (envelope && typeof envelope.error === 'string')
    throw new ApiError(envelope.error, response.status, envelope.code);
  throw new ApiError(
    `server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
    response.status,
    undefined,
  );
}

/** Words for why a connection failed ("connection refused"), from fetch's or ws's error and its cause. */
export function describeNetworkError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { message?: string; errors?: unknown[] } };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  const code = errorCode(e) ?? errorCode(e?.cause) ?? errorCode(e?.cause?.errors?.[0]);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return e?.cause?.message ?? e?.message ?? String(err);
  }
}
