// Owns the CLI's failures: an error carrying its exit code, and the wrapper that turns any failure into one stderr line.
import { exitWhenFlushed } from './flush-output.js';

/** A failure the CLI reports as one line on stderr and exits with `exitCode` (2 usage, 1 server or I/O). */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Builds a usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}

/** Turns any error into the one line the user sees (without the `stepflow: ` prefix). */
export function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  return { message: err instanceof Error ? err.message : String(err), exitCode: 1 };
}

/** Runs a command's action, then exits with its code once every byte of its output is written. */
export async function exitAfter(action: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await action();
  } catch (err) {
    const failure = describeFailure(err);
    process.stderr.write(`stepflow: ${oneLine(failure.message)}\n`);
    code = failure.exitCode;
  }
  await exitWhenFlushed(code);
}

// A message may quote server text; keep it to one line so scripts can parse stderr.
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
