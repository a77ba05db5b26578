// Owns the last check of a script's working directory before it starts: inside the working roots, enterable by its user.
import { realpathSync } from 'node:fs';
import { isInsideWorkingRoots } from './is-inside-working-roots.js';
import type { ScriptUser } from './spawn-command.js';
import { userCanAccessSync } from './user-can-access.js';

/** The error code of a working directory refused here; its message is meant for the user as it is. */
export const WORKING_DIRECTORY_REFUSED = 'STEPFLOW_WORKING_DIRECTORY_REFUSED';

function refuse(message: string): Error {
  return Object.assign(new Error(message), { code: WORKING_DIRECTORY_REFUSED });
}

/**
 * Returns the real path the script must start in. Checked again at spawn time although creation
 * checked it: a directory can be swapped for a symlink while the execution waits in the queue. The
 * script is then started in the resolved path, so a later swap of the name no longer matters.
 * A missing directory is left to the spawn itself, which reports it as such.
 */
export function verifyWorkingDirectory(cwd: string, roots: readonly string[], user: ScriptUser | null): string {
  if (roots.length === 0 && user === null) return cwd;
  let real: string;
  try {
    real = realpathSync(cwd);
  } catch {
    return cwd;
  }
  if (!isInsideWorkingRoots(real, roots)) {
    throw refuse(
      `working directory ${cwd} resolves to ${real}, outside the allowed working roots (STEPFLOW_WORKING_ROOTS)`,
    );
  }
  if (user !== null && !userCanAccessSync(real, user, 'enter'))
    throw refuse(`working directory ${real} is not accessible to user ${user.name}, whom scripts run as`);
  return real;
}
