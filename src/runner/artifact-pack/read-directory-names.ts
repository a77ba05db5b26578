// Owns listing one open directory's names, bounded in count and sorted without holding the event loop.
import { opendir, type FileHandle } from 'node:fs/promises';
import { pathBeneath } from './open-entry-beneath.js';
import { sortInTurns } from './sort-in-turns.js';

/**
 * The names in the directory `directory` is open on, as latin1 text (one character per byte, so
 * any name survives `Buffer.from(name, 'latin1')`), in byte order; null as soon as more than
 * `most` were read. Read a batch at a time, so a directory of millions of names is never held
 * in memory or handed to the event loop in one piece.
 */
export async function readDirectoryNames(directory: FileHandle, most: number): Promise<string[] | null> {
  const dir = await opendir(pathBeneath(directory), { encoding: 'latin1', bufferSize: 256 });
  const names: string[] = [];
  try {
    for (let entry = await dir.read(); entry !== null; entry = await dir.read()) {
      if (names.length >= most) return null;
      names.push(entry.name);
    }
  } finally {
    await dir.close();
  }
  return sortInTurns(names);
}
