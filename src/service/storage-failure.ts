// Owns recognising storage failures (full disk, I/O errors) and turning them into a clear 503 for callers.
import { errorCode } from '../core/error-code.js';
import { AppError } from '../core/app-error.js';

// SQLite's result codes (better-sqlite3 puts them in `code`) and errno names that mean "the disk, not the request".
const STORAGE_CODES = /^(SQLITE_FULL|SQLITE_IOERR|SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_CORRUPT|SQLITE_NOTADB|ENOSPC|EDQUOT|EIO|EROFS)/;

/** True when `error` comes from the storage underneath (disk full, I/O error), not from a bad request or a bug. */
export function isStorageFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && STORAGE_CODES.test(code);
}

/** `storage error: <message>`, the text executions failed by storage carry. */
export function describeStorageFailure(error: unknown): string {
  return `storage error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs a store write; a storage failure becomes AppError storage_unavailable (503) and is reported to `onFailure`. */
export async function guardStorageWrite<T>(write: () => Promise<T>, onFailure?: (error: unknown) => void): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    onFailure?.(error);
    throw new AppError('storage_unavailable', describeStorageFailure(error));
  }
}
