// Owns serializing server -> client messages (typed by core/ws-messages) once per message, whatever the recipients.
import type { ExecutionRecord } from '../core/execution.js';
import type { WireLogLine } from '../core/wire-types.js';
import type { WsErrorCode, WsServerMessageType, WsServerPayloads } from '../core/ws-messages.js';
import { toWireExecution } from '../service/to-wire.js';

/**
 * Serializes `{type, data, timestamp}` (`now` from the server's clock) once into a Buffer; the same Buffer is then sent to every
 * recipient, because ws would otherwise convert a string to bytes again for each client.
 */
export function encodeMessage<T extends WsServerMessageType>(type: T, data: WsServerPayloads[T], now: number): Buffer {
  return Buffer.from(JSON.stringify({ type, data, timestamp: new Date(now).toISOString() }));
}

/** Builds an `error` message in the contract's shape, stamped `now` (the server's clock). */
export function encodeError(
  code: WsErrorCode,
  message: string,
  now: number,
  executionId: number | null = null,
): Buffer {
  return encodeMessage(
    'error',
    {
      execution_id: executionId === null ? null : String(executionId),
      error_code: code,
      error_message: message,
      timestamp: new Date(now).toISOString(),
    },
    now,
  );
}

/** The `execution_update` payload: the full wire execution plus `execution_id`. */
export function executionUpdateData(record: ExecutionRecord, now: number): WsServerPayloads['execution_update'] {
  const wire = toWireExecution(record, now);
  return { ...wire, execution_id: wire.id };
}

/** The old clients' one-message-per-line shape. */
export function logEntryData(executionId: number, line: WireLogLine): WsServerPayloads['log_entry'] {
  return {
    execution_id: String(executionId),
    step_id: line.step_id,
    content: line.content,
    timestamp: line.timestamp,
    level: line.level,
    line: line.line,
    stream: line.stream,
  };
}

/** A `log_batch` payload; lines keep the WireLogLine fields (line, step_id, step_index, content, timestamp, level, stream). */
export function encodeLogBatch(executionId: number, lines: readonly WireLogLine[], now: number): Buffer {
  return encodeMessage('log_batch', { execution_id: String(executionId), lines: [...lines] }, now);
}
