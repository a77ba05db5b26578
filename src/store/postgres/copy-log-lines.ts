// Owns the COPY FROM STDIN text encoding of log lines and the one-transaction append that sends it.
import { finished } from 'node:stream/promises';
import type { Connection, Pool } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { LogLine } from '../../core/log-line.js';
import { encodeStream } from '../row-mappers.js';

const COPY = 'COPY log_lines (execution_id, line, ts, stream, step_index, content, escaped) FROM STDIN';

/** Characters COPY's text format gives a meaning: the escape, the column and row separators. */
const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * A content field of COPY's text format. Text cannot hold NUL, so content holding one is stored JSON-encoded
 * with `escaped` set (as every PostgreSQL write of log lines does); returns the field and that flag.
 */
export function copyContentField(content: string): { field: string; escaped: boolean } {
  const escaped = content.includes('\0');
  const text = escaped ? JSON.stringify(content) : content;
  return { field: SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c] ?? c) : text, escaped };
}

/** The lines as COPY text-format rows, one per line (execution id first). */
export function encodeCopyRows(executionId: number, lines: readonly LogLine[]): string {
  let out = '';
  for (const l of lines) {
    const { field, escaped } = copyContentField(l.content);
    const step = l.step_index === null ? '\\N' : String(l.step_index);
    out += `${executionId}\t${l.line}\t${l.ts}\t${encodeStream(l.stream)}\t${step}\t${field}\t${escaped ? 't' : 'f'}\n`;
  }
  return out;
}

/**
 * One simple query, so one implicit transaction committed before the server reports ready (when the stream
 * finishes): a DO block checks and key-share locks the execution (what a foreign key's trigger would do once per
 * row, so a concurrent delete waits for the batch), then COPY reads the rows.
 */
function copyStatement(executionId: number): string {
  return `DO $$BEGIN
    PERFORM 1 FROM executions WHERE id = ${executionId} FOR KEY SHARE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'log lines refused: execution ${executionId} does not exist (violates the foreign key of log_lines)';
    END IF;
  END$$; ${COPY}`;
}

/**
 * A COPY that sends its rows right behind the query instead of waiting for the server's CopyInResponse, so a
 * batch costs one round trip. The protocol allows it: the server reads the rows once COPY starts, and ignores
 * them if a statement before the COPY failed (the `DO` check), answering with that error.
 */
function eagerCopy(text: string): CopyStreamQuery {
  const query = copyFrom(text);
  const submit = query.submit.bind(query);
  const started = query as unknown as { handleCopyInResponse(connection: Connection): void };
  query.submit = (connection) => {
    submit(connection);
    started.handleCopyInResponse(connection);
  };
  return query;
}

/** Appends the lines in one transaction, acknowledged once committed, in one round trip. */
export async function copyLogLines(pool: Pool, executionId: number, lines: readonly LogLine[]): Promise<void> {
  if (!Number.isSafeInteger(executionId)) throw new Error(`execution id ${executionId} is not an integer`);
  const rows = encodeCopyRows(executionId, lines);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const copy = client.query(eagerCopy(copyStatement(executionId)));
    copy.end(rows);
    await finished(copy);
  } catch (error) {
    // Dropped rather than reused: the server may still be reading the rows the failed query sent.
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(broken);
  }
}
