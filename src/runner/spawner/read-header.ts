// Owns reading the fixed-size header that opens an output socket, leaving everything after it unread.
import type { Socket } from 'node:net';
import { HEADER_BYTES, parseHeader } from './spawner-protocol.js';
import type { OutputIndex } from './spawner-protocol.js';

/**
 * Resolves with the socket's header, or null when it is malformed or does not arrive within
 * `timeoutMs`. The socket stays paused after it, so the script's first bytes wait for a reader.
 */
export function readHeader(socket: Socket, timeoutMs = 10_000): Promise<{ token: string; id: number; stream: OutputIndex } | null> {
  // Permanent: a reset between now and the runner attaching its own listeners must not crash the server.
  socket.on('error', () => {});
  return new Promise((resolve) => {
    const finish = (header: ReturnType<typeof parseHeader>): void => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('end', onGone);
      socket.off('close', onGone);
      resolve(header);
    };
    const onReadable = (): void => {
      const chunk = socket.read(HEADER_BYTES) as Buffer | null;
      if (chunk !== null) finish(parseHeader(chunk));
    };
    const onGone = (): void => finish(null);
    const timer = setTimeout(onGone, timeoutMs);
    socket.on('readable', onReadable);
    socket.once('end', onGone);
    socket.once('close', onGone);
  });
}
