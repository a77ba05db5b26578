// Owns checking the ID argument of logs, cancel and artifacts before anything is sent.
import { usageError } from './cli-error.js';

/** Parses a positive whole execution id, or fails with a usage error (exit 2). */
export function parseExecutionId(text: string): number {
  const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(id >= 1 && Number.isSafeInteger(id)))
    throw usageError(`"${text}" is not an execution id (a whole number from 1)`);
  return id;
}
