// Owns waiting on the CLI's output streams: for room before writing more, and for every byte to be written before exiting.
import type { Writable } from 'node:stream';
import { exitCodeForOutputError } from './watch-output-errors.js';

/** The part of stdout/stderr these waits use. */
export type OutputStream = Pick<Writable, 'write' | 'once' | 'off' | 'writableNeedDrain' | 'destroyed'>;

/**
 * Resolves once every byte written so far has been handed to the OS, or rejects with the write error.
 * A pipe to a slow reader is written asynchronously, so exiting before this would cut the output short.
 */
export function flushOutput(stream: OutputStream): Promise<void> {
  return new Promise((resolve, reject) => {
    // Write callbacks run in order, so the callback of an empty write means everything before it is out.
    stream.write('', (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}

/**
 * Null when the stream can take more now; otherwise a promise that resolves once it has drained (or failed,
 * which the process-wide output error handler deals with). Awaiting it keeps memory bounded when the reader is slow.
 */
export function waitForRoom(stream: OutputStream): Promise<void> | null {
  if (!stream.writableNeedDrain || stream.destroyed) return null;
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/**
 * Exits with `code` once stdout and stderr are written. A failed write is left to the streams' error handler
 * (watchOutputErrors), which reports it and exits; the exit code is set here in case it has not yet.
 */
export async function exitWhenFlushed(code: number): Promise<void> {
  process.exitCode = code;
  try {
    await flushOutput(process.stdout);
    await flushOutput(process.stderr);
  } catch (err) {
    process.exitCode = exitCodeForOutputError(err);
    return;
  }
  // Exiting explicitly matters: fetch keeps idle connections open for seconds after the last request.
  process.exit(code);
}
