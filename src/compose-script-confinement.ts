// Owns the start-up side of confining scripts: the STEPFLOW_RUN_AS user, a private storage directory, the default working directory inside the roots.
import { chmodSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import type { Config } from './config/config.js';
import { isInsideWorkingRoots } from './runner/is-inside-working-roots.js';
import { resolveRunAsUser, type RunAsUser } from './runner/resolve-run-as-user.js';

/**
 * Checks everything a confined server needs before anything is opened, and returns the user
 * scripts run as (null: the server's own). Throws an Error with a one-line message when the
 * server must not start: an unusable STEPFLOW_RUN_AS, a storage directory it cannot make private,
 * or a default working directory outside STEPFLOW_WORKING_ROOTS.
 */
export function composeScriptConfinement(config: Config): RunAsUser | null {
  checkDefaultWorkingDirectory(config);
  if (config.runAs === null) return null;
  const user = resolveRunAsUser(config.runAs);
  makeStoragePrivate(config.storagePath);
  return user;
}

// Refused now rather than answering 400 to every request that names no directory.
function checkDefaultWorkingDirectory(config: Config): void {
  if (config.workingRoots.length === 0) return;
  const real = realpathSync(config.defaultWorkingDirectory);
  if (isInsideWorkingRoots(real, config.workingRoots)) return;
  throw new Error(
    `the default working directory ${real} is outside STEPFLOW_WORKING_ROOTS (${config.workingRoots.join(', ')}); set STEPFLOW_WORKING_DIRECTORY to a directory inside them`,
  );
}

/**
 * The database holds execution environments and key hashes, and artifacts may hold anything:
 * scripts running as another user must not even enter the folder, so it is 0700 and must belong
 * to the server's user (a folder owned by the scripts' user could simply be opened again).
 */
function makeStoragePrivate(storagePath: string): void {
  mkdirSync(storagePath, { recursive: true, mode: 0o700 });
  const owner = statSync(storagePath).uid;
  const self = process.getuid?.() ?? owner;
  if (owner !== self)
    throw new Error(
      `the storage directory ${storagePath} belongs to uid ${owner}, not to the server's uid ${self}; chown it before running scripts as another user`,
    );
  chmodSync(storagePath, 0o700);
}
