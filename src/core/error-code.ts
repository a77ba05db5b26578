// Owns reading the machine code that Node (errno names) and drivers (SQLite result codes) put on the errors they throw.

/** The string `code` of a thrown value (`ENOENT`, `ENOSPC`, `SQLITE_FULL`, …), or undefined when it carries none. */
export function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
