// A real small filesystem (a tmpfs mounted by root) that tests fill to make the disk under a storage directory full.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, statfsSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCode } from '../../src/core/error-code.js';

/** A mounted tmpfs and the ballast files that fill it. */
export interface SmallVolume {
  /** The mount point. */
  dir: string;
  /** Bytes the server could still write there (like `df`'s Avail). */
  freeBytes(): number;
  /** Writes ballast until at most `leaveBytes` are free (0: until the filesystem refuses). */
  fill(leaveBytes?: number): void;
  /** Frees `bytes` of ballast, or all of it. */
  release(bytes?: number): void;
  /** Unmounts and removes the mount point. */
  unmount(): void;
}

/** Why a test needing a real full disk is skipped here, or false when it can run. */
export function volumeSkipReason(): string | false {
  const probe = mkdtempSync(join(tmpdir(), 'stepflow-mount-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted ? false : 'needs `mount -t tmpfs` (root) to make a real full disk; run the suite as root, as CI does';
}

/** Mounts a tmpfs of `megabytes` MiB; call unmount() in an `after` hook. */
export function mountSmallVolume(megabytes: number): SmallVolume {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-full-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`);
  const ballast: string[] = [];
  const volume: SmallVolume = {
    dir,
    freeBytes() {
      const fs = statfsSync(dir);
      return fs.bavail * fs.bsize;
    },
    fill(leaveBytes = 0) {
      const file = join(dir, `ballast-${ballast.length}`);
      ballast.push(file);
      const fd = openSync(file, 'a');
      const chunk = Buffer.alloc(4096, 120);
      try {
        while (volume.freeBytes() > leaveBytes)
          writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(1, volume.freeBytes() - leaveBytes)));
      } catch (error) {
        if (errorCode(error) !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    release(bytes) {
      if (bytes === undefined) {
        for (const file of ballast.splice(0)) rmSync(file, { force: true });
        return;
      }
      const last = ballast.at(-1);
      if (last === undefined) return;
      truncateSync(last, Math.max(0, statSync(last).size - bytes));
    },
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return volume;
}
