// Owns packing a directory artifact into a streamed .tar.gz.
import { createWriteStream, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadEntry } from 'tar';
import { createByteLimit } from './create-byte-limit.js';

// Devices, FIFOs and sockets inside the directory are left out: reading them could hang or leak.
function isPackable(_path: string, entry: Stats | ReadEntry): boolean {
  if ('isFile' in entry && typeof entry.isFile === 'function') {
    const stats = entry as Stats;
    return stats.isFile() || stats.isDirectory() || stats.isSymbolicLink();
  }
  return true;
}

/**
 * Writes `directory` as a gzipped tar to `destination`, entries named `<dirname>/...`; symlinks are
 * stored as links, never followed, so nothing outside the directory is read. Returns the bytes written.
 */
export async function packArtifactDirectory(directory: string, destination: string, maxBytes: number): Promise<number> {
  // Loaded on first use: few executions produce a directory artifact, and an idle server should not hold tar's modules.
  const { create } = await import('tar');
  const pack = create({ gzip: true, cwd: dirname(directory), portable: true, follow: false, filter: isPackable }, [basename(directory)]);
  const limit = createByteLimit(maxBytes);
  await pipeline(Readable.from(pack), limit, createWriteStream(destination, { flags: 'wx' }));
  return limit.bytes;
}
