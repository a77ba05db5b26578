// Owns the artifact folder layout under the artifacts folder (<storagePath>/artifacts or STEPFLOW_ARTIFACT_PATH; one folder per execution, a per-server staging folder): staging, unique names, safe lookup, removal.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../core/app-error.js';
import { isInside } from './resolve-artifact-path.js';

const INCOMING = '.incoming';

/** Turns a file name into one safe for any file system: letters, digits, dot, dash, underscore; at most 100 characters. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .slice(-100);
  return cleaned === '' ? 'artifact' : cleaned;
}

/** An open stored artifact file; the caller closes `handle`. */
export interface StoredFile {
  handle: FileHandle;
  size: number;
}

/**
 * One artifacts folder, possibly shared by several servers. Files are written to this server's own staging
 * folder first (so one server's start-up sweep never removes another's upload), then renamed in.
 */
export class ArtifactStorage {
  /** The absolute artifacts folder. */
  readonly root: string;
  readonly #staging: string;

  /** `stagingName` names this server's staging folder under `.incoming` (its server name). */
  constructor(root: string, stagingName = 'local') {
    this.root = resolve(root);
    this.#staging = join(this.root, INCOMING, safeFileName(stagingName));
  }

  /** A fresh path to write a new artifact to; `commit` moves it in, `discard` removes it. */
  async stagingPath(): Promise<string> {
    const folder = this.#staging;
    await mkdir(folder, { recursive: true });
    return join(folder, `${randomUUID()}.part`);
  }

  /** Moves a staged file into the execution's folder under a unique name; returns its file_path (relative to root). */
  async commit(staged: string, executionId: number, fileName: string): Promise<string> {
    const folder = this.#executionFolder(executionId);
    await mkdir(folder, { recursive: true });
    const name = `${randomUUID()}-${safeFileName(fileName)}`;
    await rename(staged, join(folder, name));
    return `${executionId}/${name}`;
  }

  /** Removes a staged file (no error if it is gone). */
  async discard(staged: string): Promise<void> {
    await rm(staged, { force: true });
  }

  /** Removes a stored file (no error if it is gone). */
  async remove(filePath: string): Promise<void> {
    await rm(this.locate(filePath), { force: true });
  }

  /** Removes every stored file of one execution (no error if it has none). */
  async removeExecution(executionId: number): Promise<void> {
    await rm(this.#executionFolder(executionId), { recursive: true, force: true });
  }

  /** Removes staged files a previous server process left behind. */
  async sweepStaging(): Promise<void> {
    await rm(this.#staging, { recursive: true, force: true });
  }

  /** Opens a stored file for reading, after checking (symlinks resolved) that it lies inside the artifacts folder. */
  async openStored(filePath: string): Promise<StoredFile> {
    const gone = () => new AppError('artifact_not_found', `the file of this artifact is no longer stored`, 'id');
    const real = await realpath(this.locate(filePath)).catch(() => null);
    const root = await realpath(this.root).catch(() => null);
    if (real === null || root === null) throw gone();
    if (!isInside(root, real) || real === root)
      throw new AppError(
        'artifact_not_found',
        'the stored path of this artifact is not inside the artifacts folder',
        'id',
      );
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => null);
    if (handle === null) throw gone();
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw gone();
    }
    return { handle, size: stats.size };
  }

  /** Reads up to `bytes` leading bytes of a file. */
  async readHead(path: string, bytes: number): Promise<Uint8Array> {
    const handle = await open(path, constants.O_RDONLY);
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  #executionFolder(executionId: number): string {
    return join(this.root, String(executionId));
  }

  private locate(filePath: string): string {
    const absolute = resolve(this.root, filePath);
    // A tampered or hand-edited row must never lead a download or delete outside the artifacts folder.
    if (!isInside(this.root, absolute) || absolute === this.root) {
      throw new AppError(
        'artifact_not_found',
        'the stored path of this artifact is not inside the artifacts folder',
        'id',
      );
    }
    return absolute;
  }
}
