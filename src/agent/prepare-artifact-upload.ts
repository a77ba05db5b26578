// Owns turning what an ARTIFACT marker names on an agent into one file to upload: a file as it is, a directory packed as the server packs it.
import { constants } from 'node:fs';
import { mkdir, open, realpath, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve, sep } from 'node:path';
import { ArtifactRefusedError } from '../runner/artifact-pack/artifact-refused-error.js';
import { ArtifactTooLargeError } from '../runner/artifact-pack/create-byte-limit.js';
import { packArtifactDirectory } from '../runner/artifact-pack/pack-artifact-directory.js';

/** The file to upload and the name it is stored under; `discard` removes what was packed for it. */
export type ArtifactUpload =
  { ok: true; path: string; fileName: string; discard: () => Promise<void> } | { ok: false; reason: string };

/** Where and under what limit an agent prepares its uploads. */
export interface UploadLimits {
  /** A folder of the agent's own for packed directories (never the run's working directory). */
  scratchDir: string;
  /** The server's STEPFLOW_MAX_ARTIFACT_BYTES: a directory is refused past it, before compression as after. */
  maxBytes: number;
  signal?: AbortSignal;
}

const keep = async (): Promise<void> => {};
let packed = 0;

/**
 * Resolves `path` against `cwd` and refuses what lies outside it (after symlinks), is missing, or is
 * neither a regular file nor a directory. A directory is packed into `<name>.tar.gz` with the
 * server's own packer (entries `<name>/...`, symlinks stored as links, same entry and byte limits),
 * so it arrives and is served exactly like one packed on the server.
 */
export async function prepareArtifactUpload(cwd: string, path: string, limits: UploadLimits): Promise<ArtifactUpload> {
  const root = await realpath(cwd).catch(() => null);
  if (root === null) return { ok: false, reason: `the working directory ${cwd} is gone` };
  const announced = basename(resolve(cwd, path));
  const real = await realpath(isAbsolute(path) ? path : resolve(cwd, path)).catch(() => null);
  if (real === null) return { ok: false, reason: 'no such file or directory' };
  if (real !== root && !real.startsWith(root + sep))
    return { ok: false, reason: 'it lies outside the working directory' };
  const info = await stat(real);
  if (info.isFile()) return { ok: true, path: real, fileName: basename(real), discard: keep };
  if (!info.isDirectory()) return { ok: false, reason: 'neither a regular file nor a directory' };
  return pack(real, `${announced}.tar.gz`, limits);
}

async function pack(directory: string, fileName: string, limits: UploadLimits): Promise<ArtifactUpload> {
  await mkdir(limits.scratchDir, { recursive: true });
  const staged = join(limits.scratchDir, `${process.pid}-${++packed}.tar.gz`);
  const discard = (): Promise<void> => rm(staged, { force: true });
  const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    await packArtifactDirectory(handle, basename(directory), staged, {
      maxBytes: limits.maxBytes,
      ...(limits.signal ? { signal: limits.signal } : {}),
    });
    return { ok: true, path: staged, fileName, discard };
  } catch (error) {
    await discard();
    if (error instanceof ArtifactTooLargeError) return { ok: false, reason: `${directory} is ${error.message}` };
    if (error instanceof ArtifactRefusedError) return { ok: false, reason: error.message };
    throw error;
  } finally {
    await handle.close();
  }
}
