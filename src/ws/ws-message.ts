// Owns the envelope of every server -> client message and its one-time serialization.
import type { ExecutionRecord } from '../core/execution.js';
import type { WireLogLine } from '../core/wire-types.js';
import { toWireExecution } from '../service/to-wire.js';

/** Every message type the server sends. */
export type ServerMessageType =
  | 'connection_established'
  | 'subscribed'
  | 'unsubscribed'
  | 'execution_started'
  | 'execution_update'
  | 'execution_completed'
  | 'execution_deleted'
  | 'step_update'
  | 'artifact_created'
  | 'log_entry'
  | 'log_batch'
  | 'server_status'
  | 'pong'
  | 'error';

/** Error codes of `error` messages (the live feed's own, besides the service's `execution_not_found`). */
export type WsErrorCode = 'bad_message' | 'execution_not_found' | 'too_many_subscriptions' | 'internal_error';

/**
 * Serializes `{type, data, timestamp}` once into a Buffer; the same Buffer is then sent to every
 * recipient, because ws would otherwise convert a string to bytes again for each client.
 */
export function encodeMessage(type: ServerMessageType, data: unknown): Buffer {
  return Buffer.from(JSON.stringify({ type, data, timestamp: new Date().toISOString() }));
}

/** Builds an `error` message in the contract's shape. */
export function encodeError(code: WsErrorCode, message: string, executionId: number | null = null): Buffer {
  return encodeMessage('error', { execution_id: executionId === null ? null : String(executionId), error_code: code, error_message: message, timestamp: new Date().toISOString() });
}

/** The `execution_update` payload: the full wire execution plus `execution_id`. */
export function executionUpdateData(record: ExecutionRecord, now: number): Record<string, unknown> {
  const wire = toWireExecution(record, now);
  return { ...wire, execution_id: wire.id };
}

/** The old clients' one-message-per-line shape. */
export function logEntryData(executionId: number, line: WireLogLine): Record<string, unknown> {
  return { execution_id: String(executionId), step_id: line.step_id, content: line.content, timestamp: line.timestamp, level: line.level, line: line.line, stream: line.stream };
}

/** A `log_batch` payload; lines keep the WireLogLine fields (line, step_id, step_index, content, timestamp, level, stream). */
export function encodeLogBatch(executionId: number, lines: readonly WireLogLine[]): Buffer {
  return encodeMessage('log_batch', { execution_id: String(executionId), lines });
}
