// Owns reading, synchronously and without blocking, what one of a script's output streams holds right now.
import { readSync } from 'node:fs';
import type { Readable } from 'node:stream';

const scratch = Buffer.allocUnsafe(65_536);

/** The file descriptor under a pipe or socket stream (libuv's handle), or null when it has none. */
export function streamFd(stream: Readable): number | null {
  const fd = (stream as { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

/**
 * Emits, as 'data', what `stream` has buffered, then hands `onChunk` what its descriptor holds
 * (it is non-blocking: libuv made it so) until the pipe is empty, at end of file or after `limit`
 * bytes; returns the bytes taken. Chunks are views of a shared buffer, valid only during the call.
 * A destroyed stream's descriptor may already be closed and reused, so it is never read.
 */
export function readHeldOutput(
  stream: Readable,
  fd: number | null,
  limit: number,
  onChunk: (chunk: Buffer) => void,
): number {
  if (stream.destroyed) return 0;
  let total = 0;
  // In flowing mode read() emits what it returns as 'data', in order ahead of anything read below.
  while (stream.readableLength > 0) {
    const chunk = stream.read() as Buffer | null;
    if (chunk === null) break;
    total += chunk.length;
  }
  if (fd === null) return total;
  while (total < limit && !stream.destroyed) {
    const bytes = readNonBlocking(fd, Math.min(scratch.length, limit - total));
    if (bytes === 0) return total;
    total += bytes;
    onChunk(scratch.subarray(0, bytes));
  }
  return total;
}

/**
 * Reads into `scratch`; 0 at end of file or when the pipe is empty (EAGAIN, which every batch ends on, so its error
 * is made without a stack trace: capturing one cost twice the read). Any other error is for libuv's own read to report.
 */
function readNonBlocking(fd: number, length: number): number {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return readSync(fd, scratch, 0, length, null);
  } catch {
    return 0;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
