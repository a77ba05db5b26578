// Owns the agent's HTTP requests to its server: one JSON POST per protocol message, errors read from the envelope.
import { openAsBlob } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type {
  AgentBatchResults,
  AgentHeartbeat,
  AgentInstructions,
  AgentRegister,
  AgentRegistered,
} from '../core/agent-protocol.js';

/** A request the server answered with an error (its machine `code`), or that never got an answer (`status` 0). */
export class AgentRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentRequestError';
  }
}

/** How an agent reaches its server. */
export interface AgentClientOptions {
  server: string;
  key: string | null;
}

/** The agent's side of the protocol's requests. */
export interface AgentClient {
  register(message: AgentRegister): Promise<AgentRegistered>;
  heartbeat(message: AgentHeartbeat): Promise<AgentInstructions>;
  /** Sends a batches message already serialized: envelope text and batches as the spool holds them (JSON bytes). */
  batches(body: readonly (string | Buffer)[]): Promise<AgentBatchResults>;
  /** Uploads one file (streamed from disk) as an artifact of an execution this agent holds. */
  upload(fields: Record<string, string>, path: string, fileName: string): Promise<unknown>;
}

const parts = (body: string | readonly (string | Buffer)[]): readonly (string | Buffer)[] =>
  typeof body === 'string' ? [body] : body;

/** An answer's status and body text. */
interface RawAnswer {
  status: number;
  text: string;
}

/**
 * Sends one JSON POST over a kept-alive connection. node:http rather than fetch: an agent sends hundreds of batches a
 * second under load, and fetch's web streams cost several times more CPU per request.
 */
function createJsonPoster(
  base: string,
  key: string | null,
): (path: string, body: string | readonly (string | Buffer)[], timeoutMs: number) => Promise<RawAnswer> {
  const transport = base.startsWith('https:') ? https : http;
  const agent = new transport.Agent({ keepAlive: true });
  return (path, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const request = transport.request(
        `${base}${path}`,
        {
          method: 'POST',
          agent,
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'content-length': parts(body).reduce((sum, part) => sum + Buffer.byteLength(part), 0),
            ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      // Written piece by piece (one writev): a request of many batches is never copied into one string first.
      request.cork();
      for (const part of parts(body)) request.write(part);
      request.end();
    });
}

/** Reads the envelope: its data, or an AgentRequestError with the server's code and message. */
function readEnvelope<T>(answer: RawAnswer, where: string): T {
  let envelope: { data?: unknown; error?: unknown; code?: unknown } = {};
  try {
    envelope = JSON.parse(answer.text) as typeof envelope;
  } catch {
    // A proxy's HTML error page: reported by status below.
  }
  if (answer.status < 200 || answer.status >= 300) {
    const code = typeof envelope.code === 'string' ? envelope.code : 'http_error';
    throw new AgentRequestError(
      answer.status,
      code,
      typeof envelope.error === 'string' ? envelope.error : `HTTP ${answer.status} from ${where}`,
    );
  }
  return envelope.data as T;
}

/** Creates the client; every request gives up after its timeout (a cut connection must not hang the agent). */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const base = options.server.replace(/\/+$/, '');
  const postJson = createJsonPoster(base, options.key);
  async function post<T>(path: string, body: string | readonly (string | Buffer)[], timeoutMs: number): Promise<T> {
    let answer: RawAnswer;
    try {
      answer = await postJson(path, body, timeoutMs);
    } catch (error) {
      throw new AgentRequestError(0, 'unreachable', `cannot reach ${base}: ${(error as Error).message}`);
    }
    return readEnvelope<T>(answer, `${base}${path}`);
  }
  async function postForm<T>(path: string, form: FormData, timeoutMs: number): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: options.key !== null ? { authorization: `Bearer ${options.key}` } : {},
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AgentRequestError(0, 'unreachable', `cannot reach ${base}: ${(error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    return readEnvelope<T>({ status: response.status, text }, `${base}${path}`);
  }
  return {
    register: (message) => post('/api/agent/register', JSON.stringify(message), 15_000),
    heartbeat: (message) => post('/api/agent/heartbeat', JSON.stringify(message), message.wait_ms + 15_000),
    batches: (body) => post('/api/agent/batches', body, 60_000),
    async upload(fields, path, fileName) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      // openAsBlob reads the file as the request is sent: the file is streamed, never held in memory.
      form.append('file', await openAsBlob(path), fileName);
      return postForm('/api/agent/artifacts', form, 10 * 60_000);
    },
  };
}
