// Owns turning packed directory entries into tar blocks (ustar, PAX where needed), reading each file only from its handle, within a size cap.
import type { HeaderData, Header, Pax } from 'tar';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import type { PackEntry } from './walk-directory-beneath.js';

const BLOCK = 512;
const CHUNK = 64 * 1024;

/** The two classes of the lazily loaded tar module this encoder uses. */
interface Tar {
  Header: typeof Header;
  Pax: typeof Pax;
}

// tar's `portable` mode: the owner may always read and write, nobody else may write, a readable directory is listable.
function portableMode(mode: number, directory: boolean): number {
  let fixed = ((mode & 0o7777) | 0o600) & ~0o22;
  if (directory) fixed |= (fixed & 0o444) >> 2;
  return fixed;
}

function headerOf(tar: Tar, entry: PackEntry): Buffer {
  const data: HeaderData = {
    path: entry.path,
    mode: portableMode(entry.stats.mode, entry.kind === 'directory'),
    size: entry.kind === 'file' ? entry.stats.size : 0,
    // No owner and no directory times, as tar's portable mode: the archive says nothing about the server's users.
    mtime: entry.kind === 'directory' ? undefined : entry.stats.mtime,
    type: entry.kind === 'file' ? 'File' : entry.kind === 'directory' ? 'Directory' : 'SymbolicLink',
    linkpath: entry.kind === 'symlink' ? entry.target : undefined,
  };
  const block = Buffer.alloc(BLOCK);
  const needPax = new tar.Header(data).encode(block, 0);
  return needPax
    ? Buffer.concat([
        new tar.Pax({ path: data.path, linkpath: data.linkpath, size: data.size, mtime: data.mtime }).encode(),
        block,
      ])
    : block;
}

// Exactly the size the header announced: a file that grew is cut there, one that shrank cannot be packed.
async function* contentOf(entry: Extract<PackEntry, { kind: 'file' }>): AsyncGenerator<Buffer> {
  const size = entry.stats.size;
  for (let position = 0; position < size;) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size - position));
    const { bytesRead } = await entry.handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) throw new ArtifactRefusedError(entry.path, 'shrank while it was being packed');
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
  if (size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (size % BLOCK));
}

const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

/**
 * Encodes `entries` as an uncompressed tar archive, two zero blocks at its end. Refuses with
 * ArtifactRefusedError, before reading a byte of it, the entry that would take the archive past
 * `maxBytes`: the size limit counts what is read, so a sparse terabyte that would gzip to almost
 * nothing is never read.
 */
export async function* encodeTarEntries(
  entries: AsyncIterable<PackEntry>,
  maxBytes = Number.MAX_SAFE_INTEGER,
): AsyncGenerator<Buffer> {
  // Loaded on first use: few executions produce a directory artifact, and an idle server should not hold tar's modules.
  const tar = await import('tar');
  let total = 2 * BLOCK;
  for await (const entry of entries) {
    const header = headerOf(tar, entry);
    const size = entry.kind === 'file' ? entry.stats.size : 0;
    total += header.length + padded(size);
    if (total > maxBytes)
      throw new ArtifactRefusedError(
        entry.path,
        `(${size} bytes) takes the directory past the ${maxBytes}-byte artifact limit, which counts its contents before compression`,
      );
    yield header;
    if (entry.kind === 'file') yield* contentOf(entry);
  }
  yield Buffer.alloc(2 * BLOCK);
}
