// Owns making a server-supplied artifact name safe to write: one plain file name that stays inside the target folder.
import { isAbsolute, relative, resolve } from 'node:path';
import { CliError } from './cli-error.js';

const MAX_NAME_BYTES = 200;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * Reduces a name to its last path part with no control or reserved characters, no leading dots, and at
 * most 200 bytes (keeping the extension); `fallback` stands in when nothing usable is left.
 */
export function sanitizeFileName(name: string, fallback: string): string {
  const lastPart =
    name
      .split(/[/\\]/)
      .filter((part) => part !== '')
      .pop() ?? '';
  let clean = lastPart
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(clean)) clean = `_${clean}`;
  clean = truncateKeepingExtension(clean, MAX_NAME_BYTES);
  return clean === '' ? fallback : clean;
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - extension.length);
  while (stem.length > 0 && Buffer.byteLength(stem + extension) > maxBytes) stem = [...stem].slice(0, -1).join('');
  return stem + extension;
}

/** Joins a file name to a folder, refusing any result that is not strictly inside the folder. */
export function pathInside(dir: string, fileName: string): string {
  const root = resolve(dir);
  const target = resolve(root, fileName);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.includes('/') || rel.includes('\\')) {
    throw new CliError(`refusing to write "${fileName}" outside ${root}`, 1);
  }
  return target;
}
