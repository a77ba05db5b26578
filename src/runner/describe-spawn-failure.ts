// Owns turning a failed spawn into a message a user can act on.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { WORKING_DIRECTORY_REFUSED } from './verify-working-directory.js';
import { errorCode } from '../core/error-code.js';

/**
 * Explains why a process could not start. Node reports a missing working directory as ENOENT of
 * the program, so the directory is checked first; never rejects.
 */
export async function describeSpawnFailure(error: unknown, program: string, cwd: string): Promise<string> {
  // Refused by the working-directory check (outside the roots, not enterable by the script's user): already worded for users.
  if (errorCode(error) === WORKING_DIRECTORY_REFUSED && error instanceof Error) return error.message;
  const directoryProblem = await checkWorkingDirectory(cwd);
  if (directoryProblem !== null) return directoryProblem;
  const code = errorCode(error);
  if (code === 'ENOENT') {
    if (!program.includes('/')) return `program not found on PATH: ${program}`;
    return isAbsolute(program) ? `program not found: ${program}` : `program not found: ${program} (relative to ${cwd})`;
  }
  if (code === 'EACCES') return `permission denied: cannot execute ${program}`;
  const detail = error instanceof Error ? error.message : String(error);
  return `could not start ${program === '' ? 'command' : program}: ${detail}`;
}

async function checkWorkingDirectory(cwd: string): Promise<string | null> {
  try {
    const info = await stat(cwd);
    if (!info.isDirectory()) return `working directory is not a directory: ${cwd}`;
    await access(cwd, constants.X_OK);
    return null;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return `working directory not found: ${cwd}`;
    if (code === 'ENOTDIR') return `working directory is not a directory: ${cwd}`;
    return `working directory not accessible: ${cwd} (${String(code ?? error)})`;
  }
}
