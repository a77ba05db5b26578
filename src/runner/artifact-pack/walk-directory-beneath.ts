// Owns walking an opened directory depth first for packing, each entry opened beneath its parent's handle, bounded in depth and count.
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import { openEntryBeneath, type BeneathEntry } from './open-entry-beneath.js';
import { readDirectoryNames } from './read-directory-names.js';

/** Deepest nesting packed: each level holds one open directory handle while its entries are walked. */
export const MAX_PACK_DEPTH = 128;

/** Most entries (of any kind, at any depth) a packed directory may hold: each costs an lstat, an open and a tar header. */
export const MAX_PACK_ENTRIES = 100_000;

/** One entry of a packed directory; a file's handle is open until the walk is resumed. */
export type PackEntry =
  | { kind: 'directory'; path: string; stats: Stats }
  | { kind: 'file'; path: string; stats: Stats; handle: FileHandle }
  | { kind: 'symlink'; path: string; stats: Stats; target: string };

/** Decides whether an opened file or directory is packed (a directory left out takes everything below it). */
export type PackFilter = (entry: { kind: 'file' | 'directory'; stats: Stats }) => boolean;

/** Entries still allowed in one walk, shared by all its levels, and the filter every level applies. */
interface EntryBudget {
  left: number;
  readonly max: number;
  readonly root: string;
  readonly include: PackFilter;
}

/**
 * Yields the directory `directory` is open on, named `name`, then everything below it, names
 * sorted, each opened beneath its parent's handle: symlinks are yielded as links and never
 * followed; devices, FIFOs, sockets and entries deleted meanwhile are left out. Stops with
 * ArtifactRefusedError when an entry is swapped between its lstat and its open, when nesting
 * passes MAX_PACK_DEPTH, or as soon as more than `maxEntries` names were read.
 */
export function walkDirectoryBeneath(
  directory: FileHandle,
  name: string,
  maxEntries = MAX_PACK_ENTRIES,
  include: PackFilter = () => true,
): AsyncGenerator<PackEntry> {
  return walkLevel(directory, name, 0, { left: maxEntries, max: maxEntries, root: name, include });
}

async function* walkLevel(
  directory: FileHandle,
  name: string,
  depth: number,
  budget: EntryBudget,
): AsyncGenerator<PackEntry> {
  yield { kind: 'directory', path: `${name}/`, stats: await directory.stat() };
  // Counted when read, before any is opened: a directory of a million empty files is refused after one listing.
  const names = await readDirectoryNames(directory, budget.left);
  if (names === null)
    throw new ArtifactRefusedError(
      `${budget.root}/`,
      `holds more than ${budget.max} entries, the most a packed directory may hold`,
    );
  budget.left -= names.length;
  for (const child of names) {
    const raw = Buffer.from(child, 'latin1');
    const path = `${name}/${raw.toString()}`;
    const entry = await openEntryBeneath(directory, raw);
    if (entry.kind === 'symlink') yield { kind: 'symlink', path, stats: entry.stats, target: entry.target };
    else if (entry.kind === 'changed') throw new ArtifactRefusedError(path, 'changed while it was being packed');
    else if (entry.kind === 'file' || entry.kind === 'directory') yield* walkOpened(entry, path, depth, budget);
  }
}

async function* walkOpened(
  entry: Extract<BeneathEntry, { kind: 'file' | 'directory' }>,
  path: string,
  depth: number,
  budget: EntryBudget,
): AsyncGenerator<PackEntry> {
  try {
    if (!budget.include(entry)) return;
    if (entry.kind === 'file') yield { kind: 'file', path, stats: entry.stats, handle: entry.handle };
    else if (depth >= MAX_PACK_DEPTH)
      throw new ArtifactRefusedError(path, `is nested deeper than ${MAX_PACK_DEPTH} directories`);
    else yield* walkLevel(entry.handle, path, depth + 1, budget);
  } finally {
    await entry.handle.close();
  }
}
