// Owns the first check of an ARTIFACT path: resolution, symlinks and allowed roots (the file is looked at when it is opened).
import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { errorCode } from '../../core/error-code.js';

/**
 * What an ARTIFACT path resolves to; `found` gives its symlink-free path, the allowed root it lies
 * in as a path, and which root that is (0: the working directory, i: `roots[i - 1]`).
 */
export type ResolvedArtifactPath =
  | { kind: 'found'; realPath: string; root: string; rootIndex: number }
  | { kind: 'missing'; path: string }
  | { kind: 'refused'; reason: string };

/** Where an execution's ARTIFACT paths may point. */
export interface ArtifactPathRules {
  workingDirectory: string;
  /** Further allowed directories (config.artifactRoots). */
  roots: readonly string[];
}

/** True when `path` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** An allowed root as a path, and which configured root it stands for. */
interface RootPath {
  path: string;
  index: number;
}

async function realRoots(rules: ArtifactPathRules): Promise<RootPath[]> {
  const roots = [rules.workingDirectory, ...rules.roots];
  // A root that is itself a symlink (e.g. /tmp on macOS) is compared by its real path too.
  const real = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  const named = roots.map((root, index) => ({ path: resolve(root), index }));
  return [...named, ...real.flatMap((path, index) => (path === null ? [] : [{ path, index }]))];
}

// The innermost root holding the path: the open that follows walks the fewest components, all inside it.
function innermost(roots: RootPath[], real: string): RootPath | null {
  const holding = roots.filter((root) => isInside(root.path, real));
  return holding.reduce<RootPath | null>(
    (best, root) => (best === null || root.path.length > best.path.length ? root : best),
    null,
  );
}

/**
 * Resolves `path` against the working directory and follows symlinks; refuses anything that ends
 * outside the working directory and the allowed roots. A path that does not exist (yet) is
 * `missing` unless it already points outside. Only a check: what is kept must then be opened
 * with openPathBeneath from `root`, since any component may be swapped for a symlink after it.
 */
export async function resolveArtifactPath(path: string, rules: ArtifactPathRules): Promise<ResolvedArtifactPath> {
  const roots = await realRoots(rules);
  const outside = (candidate: string) => !roots.some((root) => isInside(root.path, candidate));
  if (path.includes('\0')) return { kind: 'refused', reason: 'the path contains a NUL byte' };
  const lexical = resolve(rules.workingDirectory, path);
  if (outside(lexical))
    return { kind: 'refused', reason: `${lexical} is outside the working directory and the allowed artifact roots` };
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    if (isMissing(error))
      return (await isDanglingOutside(lexical, outside)) ? refusedLink(lexical) : { kind: 'missing', path: lexical };
    throw error;
  }
  const root = innermost(roots, real);
  if (root === null)
    return {
      kind: 'refused',
      reason: `${lexical} resolves to ${real}, outside the working directory and the allowed artifact roots`,
    };
  return { kind: 'found', realPath: real, root: root.path, rootIndex: root.index };
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function refusedLink(lexical: string): ResolvedArtifactPath {
  return {
    kind: 'refused',
    reason: `${lexical} is a symlink pointing outside the working directory and the allowed artifact roots`,
  };
}

// A dangling symlink whose target is already outside will never be allowed; say so now rather than wait.
async function isDanglingOutside(lexical: string, outside: (path: string) => boolean): Promise<boolean> {
  const link = await lstat(lexical).catch(() => null);
  if (!link?.isSymbolicLink()) return false;
  const target = await readlink(lexical).catch(() => null);
  return target !== null && outside(resolve(dirname(lexical), target));
}
