// Owns measuring what a StepFlow storage directory holds on disk: the SQLite files and the artifact files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes on disk, split the way the storage target is stated. */
export interface StorageBytes {
  /** stepflow.db + -wal + -shm. */
  database: number;
  artifacts: number;
}

function treeBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? treeBytes(full) : statSync(full).size;
  }
  return total;
}

/** Measures the storage directory of a local server (call after a checkpoint so the WAL is folded in). */
export function measureStorage(storage: string): StorageBytes {
  const size = (name: string): number => {
    try {
      return statSync(join(storage, name)).size;
    } catch {
      return 0;
    }
  };
  let artifacts: number;
  try {
    artifacts = treeBytes(join(storage, 'artifacts'));
  } catch {
    artifacts = 0; // no artifact stored yet: the directory does not exist
  }
  return { database: size('stepflow.db') + size('stepflow.db-wal') + size('stepflow.db-shm'), artifacts };
}
