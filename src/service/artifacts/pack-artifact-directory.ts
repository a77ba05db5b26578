// Owns packing a directory artifact into a streamed .tar.gz.
import { createWriteStream, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadEntry } from 'tar';
import { permitsUser } from '../../runner/user-can-access.js';
import type { ScriptUser } from '../../runner/spawn-command.js';
import { createByteLimit } from './create-byte-limit.js';

// Devices, FIFOs and sockets inside the directory are left out: reading them could hang or leak. So is
// whatever the scripts' user could not read itself (a file) or list (a directory, and all below it).
function packable(readableBy: ScriptUser | null): (path: string, entry: Stats | ReadEntry) => boolean {
  return (_path, entry) => {
    if (!('isFile' in entry && typeof entry.isFile === 'function')) return true;
    const stats = entry as Stats;
    if (stats.isSymbolicLink()) return true;
    if (!stats.isFile() && !stats.isDirectory()) return false;
    return readableBy === null || permitsUser(stats, readableBy, stats.isDirectory() ? 'list' : 'read');
  };
}

/**
 * Writes `directory` as a gzipped tar to `destination`, entries named `<dirname>/...`; symlinks are
 * stored as links, never followed, so nothing outside the directory is read. With `readableBy`,
 * entries that user could not read are left out. Returns the bytes written.
 */
export async function packArtifactDirectory(directory: string, destination: string, maxBytes: number, readableBy: ScriptUser | null = null): Promise<number> {
  // Loaded on first use: few executions produce a directory artifact, and an idle server should not hold tar's modules.
  const { create } = await import('tar');
  const pack = create({ gzip: true, cwd: dirname(directory), portable: true, follow: false, filter: packable(readableBy) }, [basename(directory)]);
  const limit = createByteLimit(maxBytes);
  await pipeline(Readable.from(pack), limit, createWriteStream(destination, { flags: 'wx' }));
  return limit.bytes;
}
