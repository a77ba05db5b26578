// Owns deciding which file an ARTIFACT marker on an agent names: a regular file inside the run's working directory, after symlinks.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';

/** The real path of the file to upload, or why it is not uploaded. */
export type ArtifactFile = { ok: true; path: string } | { ok: false; reason: string };

/** Resolves `path` against `cwd`; refuses what lies outside it (after symlinks), is missing, or is not a regular file. */
export async function resolveArtifactFile(cwd: string, path: string): Promise<ArtifactFile> {
  const root = await realpath(cwd).catch(() => null);
  if (root === null) return { ok: false, reason: `the working directory ${cwd} is gone` };
  const real = await realpath(isAbsolute(path) ? path : resolve(cwd, path)).catch(() => null);
  if (real === null) return { ok: false, reason: 'no such file' };
  if (real !== root && !real.startsWith(root + sep))
    return { ok: false, reason: 'it lies outside the working directory' };
  const info = await stat(real);
  if (!info.isFile())
    return { ok: false, reason: info.isDirectory() ? 'a directory (agents upload files only)' : 'not a regular file' };
  return { ok: true, path: real };
}
