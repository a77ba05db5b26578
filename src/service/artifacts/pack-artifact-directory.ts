// Owns packing an opened directory artifact into a streamed .tar.gz.
import { createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createByteLimit } from './create-byte-limit.js';
import { encodeTarEntries } from './encode-tar-entries.js';
import { walkDirectoryBeneath } from './walk-directory-beneath.js';

/**
 * Writes the directory `directory` is open on as a gzipped tar to `destination`, entries named
 * `<name>/...`, and returns the bytes written. Every entry is opened beneath its parent's handle
 * and read from its own, so a directory swapped for a symlink mid-walk is never followed out;
 * symlinks are stored as links. The caller closes `directory`.
 */
export async function packArtifactDirectory(directory: FileHandle, name: string, destination: string, maxBytes: number): Promise<number> {
  const limit = createByteLimit(maxBytes);
  const archive = Readable.from(encodeTarEntries(walkDirectoryBeneath(directory, name)), { objectMode: false });
  await pipeline(archive, createGzip(), limit, createWriteStream(destination, { flags: 'wx' }));
  return limit.bytes;
}
