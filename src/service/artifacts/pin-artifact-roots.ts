// Owns the directories an execution's ARTIFACT paths may point into, opened when the execution starts and held until it ends.
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorCode } from '../../core/error-code.js';
import { ArtifactRefusedError } from '../../runner/artifact-pack/artifact-refused-error.js';

/** One allowed root as it was when the execution started: open, or why it could not be opened. */
export type PinnedRoot =
  | { kind: 'open'; path: string; label: string; handle: FileHandle; dev: number; ino: number }
  | { kind: 'unavailable'; path: string; label: string; reason: string };

/** The working directory (first) and the configured artifact roots of one execution; `close` once it has ended. */
export interface PinnedRoots {
  readonly roots: readonly PinnedRoot[];
  close(): Promise<void>;
}

async function pin(path: string, label: string): Promise<PinnedRoot> {
  let handle: FileHandle;
  try {
    // Symlinks in the configured path are followed once, here: what it names now is what the execution may use.
    handle = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  } catch (error) {
    return { kind: 'unavailable', path, label, reason: errorCode(error) ?? String(error) };
  }
  try {
    const { dev, ino } = await handle.stat();
    return { kind: 'open', path, label, handle, dev, ino };
  } catch (error) {
    await handle.close();
    return { kind: 'unavailable', path, label, reason: errorCode(error) ?? String(error) };
  }
}

/**
 * Opens the working directory and each artifact root as directory handles, before the script
 * runs: a script that later renames its working directory away and leaves a symlink in its
 * place cannot move what StepFlow reads from. Never rejects; a root that cannot be opened is
 * `unavailable` and refuses the artifacts that lie in it.
 */
export async function pinArtifactRoots(workingDirectory: string, roots: readonly string[]): Promise<PinnedRoots> {
  const pinned = await Promise.all([
    pin(resolve(workingDirectory), 'the working directory'),
    ...roots.map((root) => pin(resolve(root), 'the artifact root')),
  ]);
  let closed = false;
  return {
    roots: pinned,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(pinned.map((root) => (root.kind === 'open' ? root.handle.close() : undefined)));
    },
  };
}

/**
 * The pinned handle of `root`, after checking that `current` (the root's path as just resolved,
 * symlinks followed) still leads to the directory opened at start. The handle alone already keeps
 * reads inside that directory; the check turns a replaced root into a clear refusal instead of a
 * file reported missing from the directory the script moved away.
 */
export async function openPinnedRoot(root: PinnedRoot, current: string): Promise<FileHandle> {
  const shown = `${root.label} ${root.path}`;
  if (root.kind === 'unavailable')
    throw new ArtifactRefusedError(shown, `could not be opened when the execution started (${root.reason})`);
  const now = await stat(current).catch(() => null);
  if (now === null || now.dev !== root.dev || now.ino !== root.ino) {
    throw new ArtifactRefusedError(
      shown,
      'was replaced after the execution started (renamed, removed or swapped for a symlink); nothing is kept from it',
    );
  }
  return root.handle;
}
