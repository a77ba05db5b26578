// Owns recognising storage failures (full disk, I/O errors) and turning them into a clear message or a 503 for callers.
import { AppError } from '../core/app-error.js';
import { errorCode } from '../core/error-code.js';

// SQLite's result codes (better-sqlite3 puts them in `code`) and errno names that mean "the disk, not the request".
const STORAGE_CODES =
  /^(SQLITE_FULL|SQLITE_IOERR|SQLITE_READONLY|SQLITE_CANTOPEN|SQLITE_CORRUPT|SQLITE_NOTADB|ENOSPC|EDQUOT|EIO|EROFS)/;
// The subset that means "no room left": freeing space fixes these.
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

/** True when `error` comes from the storage underneath (disk full, I/O error), not from a bad request or a bug. */
export function isStorageFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && STORAGE_CODES.test(code);
}

/** True when `error` says the disk (or the user's quota) has no room left. */
export function isStorageFull(error: unknown): boolean {
  return FULL_CODES.has(errorCode(error) ?? '');
}

/** `storage full: [what: ]<message>` for a full disk, `storage error: [what: ]<message>` for other storage failures. */
export function describeStorageFailure(error: unknown, what?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${isStorageFull(error) ? 'storage full' : 'storage error'}: ${what === undefined ? '' : `${what}: `}${message}`;
}

/** Runs a store write; a storage failure becomes AppError storage_unavailable (503) and is reported to `onFailure`. */
export async function guardStorageWrite<T>(write: () => Promise<T>, onFailure?: (error: unknown) => void): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    onFailure?.(error);
    throw new AppError('storage_unavailable', describeStorageFailure(error), undefined, { cause: error });
  }
}
