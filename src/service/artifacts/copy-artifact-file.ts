// Owns copying one checked regular file into artifact storage, streamed, without following a swapped-in link.
import { constants, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { errorCode } from '../../core/error-code.js';
import { createByteLimit } from './create-byte-limit.js';

/** Raised when the file changed between the check and the copy (replaced, or no longer a regular file). */
export class ArtifactChangedError extends Error {
  constructor(path: string) {
    super(`${path} changed while it was being kept`);
    this.name = 'ArtifactChangedError';
  }
}

/** A file resolveArtifactPath accepted. */
export interface CheckedFile {
  realPath: string;
  dev: number;
  ino: number;
}

/** Streams the checked file to `destination` (which must not exist); returns the bytes written. */
export async function copyArtifactFile(source: CheckedFile, destination: string, maxBytes: number): Promise<number> {
  // O_NOFOLLOW: a symlink swapped in after the check is not followed; O_NONBLOCK: a FIFO swapped in cannot hang the open.
  const handle = await open(source.realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: unknown) => {
    if (errorCode(error) === 'ELOOP') throw new ArtifactChangedError(source.realPath);
    throw error;
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.dev !== source.dev || stats.ino !== source.ino) throw new ArtifactChangedError(source.realPath);
    const limit = createByteLimit(maxBytes);
    await pipeline(handle.createReadStream({ autoClose: false }), limit, createWriteStream(destination, { flags: 'wx' }));
    return limit.bytes;
  } finally {
    await handle.close();
  }
}
