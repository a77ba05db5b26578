// Owns deciding, from permission bits, whether the unprivileged user scripts run as could reach and use a path.
import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScriptUser } from './spawn-command.js';

/** The access asked for on the path itself: read a file, enter a directory, or list and enter it. */
export type Access = 'read' | 'enter' | 'list';

const MASKS: Record<Access, number> = { read: 0o4, enter: 0o1, list: 0o5 };

/**
 * True when `user` holds `access` on a file with these owner, group and mode bits. A script gets
 * no supplementary groups (Node's spawn clears them when it changes uid), so owner, primary group
 * and other bits decide exactly; ACLs are not consulted.
 */
export function permitsUser(info: Pick<Stats, 'uid' | 'gid' | 'mode'>, user: ScriptUser, access: Access): boolean {
  const shift = info.uid === user.uid ? 6 : info.gid === user.gid ? 3 : 0;
  const mask = MASKS[access];
  return ((info.mode >> shift) & mask) === mask;
}

// The path itself with `access`, then every directory above it, which must be searchable.
function* demands(path: string, access: Access): Generator<[string, Access]> {
  yield [path, access];
  for (let dir = dirname(path), below = path; dir !== below; below = dir, dir = dirname(dir)) yield [dir, 'enter'];
}

/** Whether `user` could open `path` (a real path, symlinks resolved) with `access`; false when it is gone. */
export function userCanAccessSync(path: string, user: ScriptUser, access: Access): boolean {
  for (const [where, need] of demands(path, access)) {
    const info = statSync(where, { throwIfNoEntry: false });
    if (!info || !permitsUser(info, user, need)) return false;
  }
  return true;
}

/** The same as userCanAccessSync without blocking the event loop, for the server. */
export async function userCanAccess(path: string, user: ScriptUser, access: Access): Promise<boolean> {
  for (const [where, need] of demands(path, access)) {
    const info = await stat(where).catch(() => null);
    if (!info || !permitsUser(info, user, need)) return false;
  }
  return true;
}
