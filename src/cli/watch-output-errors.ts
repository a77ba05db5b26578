// Owns what happens when the CLI cannot write its output: a closed pipe ends it quietly, any other failure is one stderr line.
import { errorCode } from '../core/error-code.js';

/** What a shell reports for a process ended by SIGPIPE (128 + 13); Node ignores SIGPIPE, so the CLI exits with it itself. */
export const BROKEN_PIPE_EXIT_CODE = 141;

/** The streams watched, and how to end the process. */
export interface OutputErrorTargets {
  stdout: Pick<NodeJS.WriteStream, 'on'>;
  stderr: Pick<NodeJS.WriteStream, 'on' | 'write'>;
  exit: (code: number) => void;
}

/** Exit code for a failed write: 141 when the reader closed the pipe (`| head -1`), else 1. */
export function exitCodeForOutputError(err: unknown): number {
  return errorCode(err) === 'EPIPE' ? BROKEN_PIPE_EXIT_CODE : 1;
}

/** Words for a failed write: "no space left on device (ENOSPC)" from Node's "ENOSPC: no space left on device, write". */
export function describeOutputError(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  const words = /^[A-Z0-9_]+: (.+?)(?:, \w+)?$/.exec(message)?.[1] ?? message;
  return code ? `${words} (${code})` : words;
}

/**
 * Replaces Node's crash (a stack trace) on a failed write: a closed pipe exits 141 without a word, as a program
 * killed by SIGPIPE would; any other failure of stdout prints one line on stderr and exits 1. Only the first failure counts.
 */
export function watchOutputErrors({ stdout, stderr, exit }: OutputErrorTargets): void {
  let failed = false;
  const onError =
    (name: 'stdout' | 'stderr') =>
    (err: Error): void => {
      if (failed) return;
      failed = true;
      const code = exitCodeForOutputError(err);
      if (code === BROKEN_PIPE_EXIT_CODE || name === 'stderr') {
        exit(code);
        return;
      }
      // Exit only once the line is out: stderr may itself be a pipe.
      stderr.write(`stepflow: cannot write to ${name}: ${describeOutputError(err)}\n`, () => exit(code));
    };
  stdout.on('error', onError('stdout'));
  stderr.on('error', onError('stderr'));
}
