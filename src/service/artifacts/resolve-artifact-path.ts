// Owns the decision whether an ARTIFACT path may be kept: resolution, symlinks, allowed roots, file kind and size.
import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { errorCode } from '../../core/error-code.js';

/** What an ARTIFACT path resolves to. */
export type ResolvedArtifactPath =
  | { kind: 'file'; realPath: string; size: number; dev: number; ino: number }
  | { kind: 'directory'; realPath: string }
  | { kind: 'missing'; path: string }
  | { kind: 'refused'; reason: string };

/** Where an execution's ARTIFACT paths may point, and how big a file may be. */
export interface ArtifactPathRules {
  workingDirectory: string;
  /** Further allowed directories (config.artifactRoots). */
  roots: readonly string[];
  maxBytes: number;
}

/** True when `path` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function realRoots(rules: ArtifactPathRules): Promise<string[]> {
  const roots = [rules.workingDirectory, ...rules.roots];
  // A root that is itself a symlink (e.g. /tmp on macOS) is compared by its real path too.
  const real = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  return [...roots.map((root) => resolve(root)), ...real.filter((root): root is string => root !== null)];
}

function kindOf(stats: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file or directory';
}

/**
 * Resolves `path` against the working directory and follows symlinks; refuses anything that ends
 * outside the working directory and the allowed roots, devices, FIFOs, sockets and oversized
 * files. A path that does not exist (yet) is `missing` unless it already points outside.
 */
export async function resolveArtifactPath(path: string, rules: ArtifactPathRules): Promise<ResolvedArtifactPath> {
  const roots = await realRoots(rules);
  const outside = (candidate: string) => !roots.some((root) => isInside(root, candidate));
  if (path.includes('\0')) return { kind: 'refused', reason: 'the path contains a NUL byte' };
  const lexical = resolve(rules.workingDirectory, path);
  if (outside(lexical)) return { kind: 'refused', reason: `${lexical} is outside the working directory and the allowed artifact roots` };
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    if (isMissing(error)) return (await isDanglingOutside(lexical, outside)) ? refusedLink(lexical) : { kind: 'missing', path: lexical };
    throw error;
  }
  if (outside(real)) return { kind: 'refused', reason: `${lexical} resolves to ${real}, outside the working directory and the allowed artifact roots` };
  const stats = await stat(real);
  if (stats.isDirectory()) return { kind: 'directory', realPath: real };
  if (!stats.isFile()) return { kind: 'refused', reason: `${real} is ${kindOf(stats)}` };
  if (stats.size > rules.maxBytes) return { kind: 'refused', reason: `${real} is ${stats.size} bytes, over the ${rules.maxBytes}-byte artifact limit` };
  return { kind: 'file', realPath: real, size: stats.size, dev: stats.dev, ino: stats.ino };
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function refusedLink(lexical: string): ResolvedArtifactPath {
  return { kind: 'refused', reason: `${lexical} is a symlink pointing outside the working directory and the allowed artifact roots` };
}

// A dangling symlink whose target is already outside will never be allowed; say so now rather than wait.
async function isDanglingOutside(lexical: string, outside: (path: string) => boolean): Promise<boolean> {
  const link = await lstat(lexical).catch(() => null);
  if (!link?.isSymbolicLink()) return false;
  const target = await readlink(lexical).catch(() => null);
  return target !== null && outside(resolve(dirname(lexical), target));
}
