// Owns the WebSocket live feed's protocol: every server -> client and client -> server message with its typed payload.
import type { ExecutionStatus } from './execution.js';
import type { WireArtifact, WireExecution, WireId, WireLogLine, WireStep } from './wire-types.js';

/** Error codes of `error` messages (the live feed's own, besides the service's `execution_not_found`). */
export type WsErrorCode = 'bad_message' | 'execution_not_found' | 'too_many_subscriptions' | 'internal_error';

/** The payload (`data`) of each server message, by type. */
export interface WsServerPayloads {
  connection_established: { client_id: string; server_time: string; connected_clients: number };
  /** The snapshot a subscription starts from; lines above `last_line` follow live. */
  subscribed: { execution_id: WireId; execution: WireExecution; steps: WireStep[]; last_line: number };
  unsubscribed: { execution_id: WireId };
  execution_started: { execution_id: WireId; name: string; command: string | string[]; started_at: string | null };
  /** The whole execution, with `execution_id` beside its `id` for old clients. */
  execution_update: WireExecution & { execution_id: WireId };
  execution_completed: {
    execution_id: WireId;
    status: ExecutionStatus;
    exit_code: number | null;
    completed_at: string | null;
    duration_seconds: number | null;
    total_steps: number;
    /** Steps that ended failed (a run can complete with failed non-critical steps). */
    failed_steps: number;
    artifacts_count: number;
    error_message: string | null;
  };
  execution_deleted: { execution_id: WireId };
  step_update: { execution_id: WireId; step: WireStep };
  artifact_created: { execution_id: WireId; artifact: WireArtifact };
  /** The old clients' one-message-per-line shape. */
  log_entry: Pick<WireLogLine, 'step_id' | 'content' | 'timestamp' | 'level' | 'line' | 'stream'> & {
    execution_id: WireId;
  };
  log_batch: { execution_id: WireId; lines: WireLogLine[] };
  server_status: {
    connected_clients: number;
    subscriptions: number;
    client_subscriptions: WireId[];
    uptime_seconds: number;
    execution?: WireExecution;
  };
  pong: { server_time: string };
  error: { execution_id: WireId | null; error_code: WsErrorCode; error_message: string; timestamp: string };
}

/** Every message type the server sends. */
export type WsServerMessageType = keyof WsServerPayloads;

/** One server message as it travels: `{type, data, timestamp}`, `data` typed by `type`. */
export type WsServerMessage = {
  [T in WsServerMessageType]: { type: T; data: WsServerPayloads[T]; timestamp: string };
}[WsServerMessageType];

/** An execution id as clients may send it: the wire's string, or the number old clients send. */
export type WsExecutionRef = WireId | number;

/** Every message a client sends; fields go in `data` (old clients may also put them at the top level). */
export type WsClientMessage =
  | { type: 'subscribe'; data: { execution_id: WsExecutionRef; from_line?: number | null; batch?: boolean } }
  | { type: 'unsubscribe'; data: { execution_id: WsExecutionRef } }
  | { type: 'get_status'; data?: { execution_id?: WsExecutionRef | null } }
  | { type: 'ping'; data?: Record<string, never> };

/**
 * Reads one server frame into the typed union, or null when it is not a `{type, data}` object. The server is the
 * only writer of these frames, so the shape is trusted past that check; this is the one place clients decode them.
 */
export function decodeServerMessage(text: string): WsServerMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { type, data } = parsed as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || typeof data !== 'object' || data === null) return null;
  return parsed as WsServerMessage;
}

/** The execution a server message is about, or null for connection-level messages. */
export function messageExecutionId(message: WsServerMessage): WireId | null {
  return 'execution_id' in message.data ? message.data.execution_id : null;
}
