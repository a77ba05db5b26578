// Owns the COPY FROM STDIN text encoding of log lines and the one-transaction append that sends it.
import { finished } from 'node:stream/promises';
import type { Pool, QueryResult } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { LogLine } from '../../core/log-line.js';
import { encodePgStream } from './postgres-row-mappers.js';

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
    out += `${executionId}\t${l.line}\t${l.ts}\t${encodePgStream(l.stream)}\t${step}\t${field}\t${escaped ? 't' : 'f'}\n`;
  }
  return out;
}

/**
 * Appends the lines with COPY in one transaction, acknowledged once committed. The execution is checked and
 * key-share locked first (what a foreign key's trigger would do once per row), so a concurrent delete waits.
 */
export async function copyLogLines(pool: Pool, executionId: number, lines: readonly LogLine[]): Promise<void> {
  if (!Number.isSafeInteger(executionId)) throw new Error(`execution id ${executionId} is not an integer`);
  const rows = encodeCopyRows(executionId, lines);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // One round trip: BEGIN and the check, as a simple query (the id is an integer, checked above).
    const results = (await client.query(
      `BEGIN; SELECT 1 FROM executions WHERE id = ${executionId} FOR KEY SHARE`,
    )) as unknown as QueryResult[];
    if ((results[1]?.rowCount ?? 0) === 0)
      throw new Error(
        `log lines refused: execution ${executionId} does not exist (violates the foreign key of log_lines)`,
      );
    const copy = client.query(copyFrom(COPY));
    copy.end(rows);
    await finished(copy);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch((rollback: unknown) => {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    });
    throw error;
  } finally {
    // A connection that could not roll back is dropped rather than handed to the next query.
    client.release(broken);
  }
}
