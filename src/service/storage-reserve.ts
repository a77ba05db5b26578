// Owns the storage reserve: a file of spare bytes given back when the disk fills, so failures can still be recorded.
import { constants, unlinkSync } from 'node:fs';
import { open, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** The reserve and the storage problem it stands for. */
export interface StorageReserve {
  /** Creates the reserve file if it is missing; false (and no partial file) when there is no room. */
  ensure(): Promise<boolean>;
  /** Frees the reserve at once (synchronously) and remembers why; the problem clears when the reserve is back. */
  release(reason: string): void;
  /** The current storage problem, or null while the reserve is in place. */
  problem(): string | null;
  /** Stops the background re-check. */
  stop(): void;
}

/** File name of the reserve inside the storage directory. */
export const RESERVE_FILE = '.stepflow-reserve';

const CHUNK = 64 * 1024;

/** Where the reserve lives, how big it is, and how it comes back. */
export interface StorageReserveOptions {
  dir: string;
  bytes: number;
  /** How often a released reserve is checked for room (default 5 s). */
  recheckMs?: number;
  /** Free bytes needed before the reserve is taken back (default twice `bytes`, so the work it lets resume has room too). */
  restoreFreeBytes?: number;
  /** Called once the reserve is back and the problem cleared. */
  onRestored?: () => void;
}

/**
 * Keeps `bytes` of the storage directory in reserve. On a full disk SQLite cannot even write the
 * row that says an execution failed; releasing the reserve makes room for exactly that. Every
 * `recheckMs` a released reserve is taken back when there is room again, which clears the problem.
 */
export function createStorageReserve(options: StorageReserveOptions): StorageReserve {
  const file = join(options.dir, RESERVE_FILE);
  const restoreFreeBytes = options.restoreFreeBytes ?? options.bytes * 2;
  let problem: string | null = null;
  let checking = false;

  // Taking the reserve back as soon as it fits would let the queue resume into a disk that fills again at once.
  async function takeBack(): Promise<boolean> {
    const volume = await statfs(options.dir).catch(() => null);
    if (volume === null || volume.bavail * volume.bsize < restoreFreeBytes) return false;
    return reserve.ensure();
  }

  async function fill(): Promise<void> {
    // Real bytes, not a sparse file: only written blocks are actually set aside.
    const handle = await open(file, constants.O_CREAT | constants.O_WRONLY | constants.O_TRUNC, 0o600);
    try {
      const zeros = Buffer.alloc(CHUNK);
      for (let written = 0; written < options.bytes; written += CHUNK)
        await handle.write(zeros, 0, Math.min(CHUNK, options.bytes - written));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  const reserve: StorageReserve = {
    async ensure() {
      const existing = await stat(file).catch(() => null);
      if (existing !== null && existing.size >= options.bytes) return true;
      try {
        await fill();
        return true;
      } catch {
        await unlink(file).catch(() => {});
        return false;
      }
    },
    release(reason) {
      problem ??= reason;
      try {
        unlinkSync(file);
      } catch {
        // Already gone: nothing more to give back.
      }
    },
    problem: () => problem,
    stop: () => clearInterval(timer),
  };

  const timer = setInterval(() => {
    if (problem === null || checking) return;
    checking = true;
    void takeBack().then((ok) => {
      checking = false;
      if (!ok) return;
      problem = null;
      options.onRestored?.();
    });
  }, options.recheckMs ?? 5_000);
  timer.unref();
  return reserve;
}
