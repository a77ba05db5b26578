// Owns copying one opened regular file into artifact storage, streamed from its verified handle.
import { createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createByteLimit } from '../../runner/artifact-pack/create-byte-limit.js';

/**
 * Streams the file `source` is open on to `destination` (which must not exist) and returns the
 * bytes written. Reads only from the handle, never the file's path again, so nothing swapped in
 * after the open can be copied; `signal` stops the copy at once. The caller closes `source`.
 */
export async function copyArtifactFile(
  source: FileHandle,
  destination: string,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<number> {
  const limit = createByteLimit(maxBytes);
  await pipeline(
    source.createReadStream({ autoClose: false, start: 0 }),
    limit,
    createWriteStream(destination, { flags: 'wx' }),
    { signal },
  );
  return limit.bytes;
}
