// Owns opening one name inside an open directory without following a symlink, through Linux's /proc/self/fd.
import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, type FileHandle } from 'node:fs/promises';
import { errorCode } from '../../core/error-code.js';

const DIRECTORY_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
// O_NONBLOCK: should a FIFO be swapped in after the lstat, opening it cannot hang.
const FILE_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** What one name inside a directory turned out to be; `file` and `directory` hold a handle the caller closes. */
export type BeneathEntry =
  | { kind: 'file' | 'directory'; handle: FileHandle; stats: Stats }
  | { kind: 'symlink'; target: string; stats: Stats }
  | { kind: 'special'; description: string }
  | { kind: 'missing' }
  | { kind: 'changed' };

/**
 * The path through which the kernel looks `name` up inside the very directory `dir` is open on:
 * /proc/self/fd/N is that directory however it was renamed or replaced since, so no swap of a
 * parent can redirect the lookup. Without `name`, the directory itself.
 */
export function pathBeneath(dir: FileHandle, name?: string | Buffer): string | Buffer {
  const base = `/proc/self/fd/${dir.fd}`;
  if (name === undefined) return base;
  const text = name.toString();
  if (text === '' || text === '.' || text === '..' || text.includes('/') || text.includes('\0'))
    throw new Error(`not a single path component: ${JSON.stringify(text)}`);
  return typeof name === 'string' ? `${base}/${name}` : Buffer.concat([Buffer.from(`${base}/`), name]);
}

/** Describes what is neither a regular file, a directory nor a symlink, for a warning line. */
export function describeSpecial(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file or directory';
}

function isGone(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function openSeen(path: string | Buffer, seen: Stats): Promise<BeneathEntry> {
  let handle: FileHandle;
  try {
    handle = await open(path, seen.isDirectory() ? DIRECTORY_FLAGS : FILE_FLAGS);
  } catch (error) {
    // ELOOP/ENOTDIR: a symlink or another kind took the name's place after the lstat.
    const code = errorCode(error);
    if (code === 'ELOOP' || code === 'ENOTDIR') return { kind: 'changed' };
    if (code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (stats.dev === seen.dev && stats.ino === seen.ino)
    return { kind: seen.isDirectory() ? 'directory' : 'file', handle, stats };
  await handle.close();
  return { kind: 'changed' };
}

async function readSeenLink(path: string | Buffer, seen: Stats): Promise<BeneathEntry> {
  try {
    return { kind: 'symlink', target: await readlink(path), stats: seen };
  } catch (error) {
    if (isGone(error)) return { kind: 'missing' };
    // EINVAL: something that is not a symlink took the name's place after the lstat.
    if (errorCode(error) === 'EINVAL') return { kind: 'changed' };
    throw error;
  }
}

/**
 * Looks at `name` inside `dir` without following it: a symlink is reported with its target, a
 * device, FIFO or socket is never opened, and a file or directory is opened only if the opened
 * object is the one first seen there.
 */
export async function openEntryBeneath(dir: FileHandle, name: string | Buffer): Promise<BeneathEntry> {
  const path = pathBeneath(dir, name);
  let seen: Stats;
  try {
    seen = await lstat(path);
  } catch (error) {
    if (isGone(error)) return { kind: 'missing' };
    throw error;
  }
  if (seen.isSymbolicLink()) return readSeenLink(path, seen);
  if (!seen.isFile() && !seen.isDirectory()) return { kind: 'special', description: describeSpecial(seen) };
  return openSeen(path, seen);
}
