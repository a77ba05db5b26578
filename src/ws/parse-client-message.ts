// Owns the validation of client -> server messages; old clients put fields in `data` or at the top level.

/** A well-formed client message, normalized (numeric ids, defaults filled); what clients send is core/ws-messages' WsClientMessage. */
export type ClientMessage =
  | { type: 'subscribe'; execution_id: number; from_line: number | null; batch: boolean }
  | { type: 'unsubscribe'; execution_id: number }
  | { type: 'get_status'; execution_id: number | null }
  | { type: 'ping' };

/** The parsed message, or why it was refused (with the execution id when one could be read). */
export type ParsedClientMessage =
  { ok: true; message: ClientMessage } | { ok: false; error: string; executionId: number | null };

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a positive integer id; old clients sometimes send it as a string. */
function readId(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : null;
}

function fail(error: string, executionId: number | null = null): ParsedClientMessage {
  return { ok: false, error, executionId };
}

function parseSubscribe(fields: Fields, id: number): ParsedClientMessage {
  const from = fields.from_line;
  if (from !== undefined && from !== null && !(typeof from === 'number' && Number.isSafeInteger(from) && from >= 0)) {
    return fail('from_line must be an integer >= 0', id);
  }
  if (fields.batch !== undefined && typeof fields.batch !== 'boolean') return fail('batch must be true or false', id);
  return {
    ok: true,
    message: {
      type: 'subscribe',
      execution_id: id,
      from_line: typeof from === 'number' ? from : null,
      batch: fields.batch === true,
    },
  };
}

function parseFields(type: string, fields: Fields): ParsedClientMessage {
  const id = readId(fields.execution_id);
  switch (type) {
    case 'ping':
      return { ok: true, message: { type: 'ping' } };
    case 'get_status':
      if (fields.execution_id !== undefined && fields.execution_id !== null && id === null)
        return fail('execution_id must be a positive integer');
      return { ok: true, message: { type: 'get_status', execution_id: id } };
    case 'subscribe':
    case 'unsubscribe':
      if (id === null) return fail(`${type} needs execution_id, a positive integer`);
      return type === 'subscribe'
        ? parseSubscribe(fields, id)
        : { ok: true, message: { type: 'unsubscribe', execution_id: id } };
    default:
      return fail(
        `unknown message type ${JSON.stringify(type).slice(0, 60)}; expected subscribe, unsubscribe, get_status or ping`,
        id,
      );
  }
}

/** Parses one text frame into a client message. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('message is not JSON');
  }
  if (!isRecord(parsed)) return fail('message must be a JSON object');
  if (typeof parsed.type !== 'string') return fail('message needs a string "type"');
  // Fields inside `data` win over top-level ones: new clients use `data`, old ones either.
  const fields = isRecord(parsed.data) ? { ...parsed, ...parsed.data } : parsed;
  return parseFields(parsed.type, fields);
}
