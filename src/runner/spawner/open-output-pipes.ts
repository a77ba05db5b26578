// Owns opening the read ends of a script's output pipes in the server, as non-blocking streams.
import { close, constants, open } from 'node:fs';
import { Socket } from 'node:net';

function openForReading(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // O_NONBLOCK: the open never waits for a writer, and reads never block the event loop.
    open(path, constants.O_RDONLY | constants.O_NONBLOCK, (error, fd) => (error ? reject(error) : resolve(fd)));
  });
}

/**
 * Opens the script's stdout and stderr FIFOs for reading; resolves with a readable stream for
 * each (libuv watches the pipe like a socket), or with the error once anything failed.
 */
export async function openOutputPipes(paths: readonly [string, string]): Promise<[Socket, Socket] | Error> {
  const results = await Promise.allSettled(paths.map(openForReading));
  const fds = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    for (const fd of fds) close(fd, () => {});
    const reason: unknown = failure.reason;
    return new Error(
      `could not open the script's output pipe: ${reason instanceof Error ? reason.message : String(reason)}`,
    );
  }
  const [stdout, stderr] = fds.map((fd) => new Socket({ fd, readable: true, writable: false }));
  if (stdout === undefined || stderr === undefined) return new Error("could not open the script's output pipes");
  return [stdout, stderr];
}
