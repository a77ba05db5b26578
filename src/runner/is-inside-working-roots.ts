// Owns the STEPFLOW_WORKING_ROOTS rule: a working directory, symlinks resolved, must lie inside one of the roots.
import { isAbsolute, relative, sep } from 'node:path';

/**
 * True when `realPath` (already resolved with realpath) is one of `roots` or lies below one; always
 * true without roots. The roots are real paths too (config resolves them), so `..` and symlinks
 * cannot make a path look inside.
 */
export function isInsideWorkingRoots(realPath: string, roots: readonly string[]): boolean {
  if (roots.length === 0) return true;
  return roots.some((root) => {
    const rel = relative(root, realPath);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  });
}
