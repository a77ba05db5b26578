// Owns the agent's HTTP requests to its server: one JSON POST per protocol message, errors read from the envelope.
import { openAsBlob } from 'node:fs';
import type {
  AgentAck,
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
  batch(body: string): Promise<AgentAck>;
  /** Uploads one file (streamed from disk) as an artifact of an execution this agent holds. */
  upload(fields: Record<string, string>, path: string, fileName: string): Promise<unknown>;
}

/** Creates the client; every request gives up after its timeout (a cut connection must not hang the agent). */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  const base = options.server.replace(/\/+$/, '');
  async function post<T>(path: string, body: string | FormData, timeoutMs: number): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...(options.key !== null ? { authorization: `Bearer ${options.key}` } : {}),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AgentRequestError(0, 'unreachable', `cannot reach ${base}: ${(error as Error).message}`);
    }
    const text = await response.text().catch(() => '');
    let envelope: { data?: unknown; error?: unknown; code?: unknown } = {};
    try {
      envelope = JSON.parse(text) as typeof envelope;
    } catch {
      // A proxy's HTML error page: reported by status below.
    }
    if (!response.ok) {
      const code = typeof envelope.code === 'string' ? envelope.code : 'http_error';
      throw new AgentRequestError(
        response.status,
        code,
        typeof envelope.error === 'string' ? envelope.error : `HTTP ${response.status} from ${base}${path}`,
      );
    }
    return envelope.data as T;
  }
  return {
    register: (message) => post('/api/agent/register', JSON.stringify(message), 15_000),
    heartbeat: (message) => post('/api/agent/heartbeat', JSON.stringify(message), message.wait_ms + 15_000),
    batch: (body) => post('/api/agent/batches', body, 60_000),
    async upload(fields, path, fileName) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      // openAsBlob reads the file as the request is sent: the file is streamed, never held in memory.
      form.append('file', await openAsBlob(path), fileName);
      return post('/api/agent/artifacts', form, 10 * 60_000);
    },
  };
}
