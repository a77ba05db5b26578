// Owns walking an opened directory depth first for packing, each entry opened beneath its parent's handle.
import type { Stats } from 'node:fs';
import { readdir, type FileHandle } from 'node:fs/promises';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import { openEntryBeneath, pathBeneath, type BeneathEntry } from './open-entry-beneath.js';

/** Deepest nesting packed: each level holds one open directory handle while its entries are walked. */
export const MAX_PACK_DEPTH = 128;

/** One entry of a packed directory; a file's handle is open until the walk is resumed. */
export type PackEntry =
  | { kind: 'directory'; path: string; stats: Stats }
  | { kind: 'file'; path: string; stats: Stats; handle: FileHandle }
  | { kind: 'symlink'; path: string; stats: Stats; target: string };

/**
 * Yields the directory `directory` is open on, named `name`, then everything below it, names
 * sorted, each opened beneath its parent's handle: symlinks are yielded as links and never
 * followed; devices, FIFOs, sockets and entries deleted meanwhile are left out; an entry swapped
 * for another between its lstat and its open stops the walk with ArtifactRefusedError.
 */
export async function* walkDirectoryBeneath(directory: FileHandle, name: string, depth = 0): AsyncGenerator<PackEntry> {
  yield { kind: 'directory', path: `${name}/`, stats: await directory.stat() };
  const names = (await readdir(pathBeneath(directory), { encoding: 'buffer' })).sort(Buffer.compare);
  for (const child of names) {
    const path = `${name}/${child.toString()}`;
    const entry = await openEntryBeneath(directory, child);
    if (entry.kind === 'symlink') yield { kind: 'symlink', path, stats: entry.stats, target: entry.target };
    else if (entry.kind === 'changed') throw new ArtifactRefusedError(path, 'changed while it was being packed');
    else if (entry.kind === 'file' || entry.kind === 'directory') yield* walkOpened(entry, path, depth);
  }
}

async function* walkOpened(entry: Extract<BeneathEntry, { kind: 'file' | 'directory' }>, path: string, depth: number): AsyncGenerator<PackEntry> {
  try {
    if (entry.kind === 'file') yield { kind: 'file', path, stats: entry.stats, handle: entry.handle };
    else if (depth >= MAX_PACK_DEPTH) throw new ArtifactRefusedError(path, `is nested deeper than ${MAX_PACK_DEPTH} directories`);
    else yield* walkDirectoryBeneath(entry.handle, path, depth + 1);
  } finally {
    await entry.handle.close();
  }
}
