// Owns packing an opened directory artifact into a streamed .tar.gz, bounded in entries, bytes read and bytes written.
import { createWriteStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { createByteLimit } from './create-byte-limit.js';
import { encodeTarEntries } from './encode-tar-entries.js';
import type { ScriptUser } from '../spawn-command.js';
import { permitsUser } from '../user-can-access.js';
import { MAX_PACK_ENTRIES, walkDirectoryBeneath, type PackFilter } from './walk-directory-beneath.js';

/** How much one packed directory may cost. */
export interface PackLimits {
  /** Most bytes of the uncompressed archive and, again, of the .tar.gz. */
  maxBytes: number;
  /** Most entries below the directory (default MAX_PACK_ENTRIES; lower in tests). */
  maxEntries?: number;
  /** Stops the packing at once (the execution was deleted, the server stops). */
  signal?: AbortSignal;
  /** The user scripts run as (STEPFLOW_RUN_AS): files it could not read and directories it could not list are left out. */
  readableBy?: ScriptUser | null;
}

// The server may read as root what the scripts' user may not: it must not pack for a script what the script could not read.
function readableFilter(user: ScriptUser | null | undefined): PackFilter | undefined {
  if (user === null || user === undefined) return undefined;
  return (entry) => permitsUser(entry.stats, user, entry.kind === 'directory' ? 'list' : 'read');
}

/**
 * Writes the directory `directory` is open on as a gzipped tar to `destination`, entries named
 * `<name>/...`, and returns the bytes written. Every entry is opened beneath its parent's handle
 * and read from its own, so a directory swapped for a symlink mid-walk is never followed out;
 * symlinks are stored as links. Every step is asynchronous I/O or a bounded slice of work, so the
 * event loop keeps turning while it packs. The caller closes `directory`.
 */
export async function packArtifactDirectory(
  directory: FileHandle,
  name: string,
  destination: string,
  limits: PackLimits,
): Promise<number> {
  const limit = createByteLimit(limits.maxBytes);
  const entries = walkDirectoryBeneath(
    directory,
    name,
    limits.maxEntries ?? MAX_PACK_ENTRIES,
    readableFilter(limits.readableBy),
  );
  const archive = Readable.from(encodeTarEntries(entries, limits.maxBytes), { objectMode: false });
  // A failed or aborted pipeline destroys the archive stream, which returns the generators and so closes their open handles.
  await pipeline(archive, createGzip(), limit, createWriteStream(destination, { flags: 'wx' }), {
    signal: limits.signal,
  });
  return limit.bytes;
}
