// Owns reading a step summary file safely: confined to the working directory, at most 1 MiB, from a byte offset.
import { constants } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';

/** Most bytes of one step's summary (GitHub's bound); a longer file is cut there and marked truncated. */
export const MAX_SUMMARY_BYTES = 1_048_576;

/** What a read found: the text (possibly cut), whether it was cut, and where the file ended. */
export interface SummaryRead {
  text: string;
  truncated: boolean;
  end: number;
}

/**
 * Reads a script-named summary file. The path is resolved against the working directory and must lie
 * inside it after symlinks; the file opened must be the one checked (same device and inode), so a
 * swapped symlink cannot make the server read a file the script could not name. Throws with a reason.
 */
export async function readConfinedSummary(workingDirectory: string, path: string): Promise<SummaryRead> {
  const root = await realpath(workingDirectory);
  const real = await realpath(isAbsolute(path) ? path : resolve(workingDirectory, path)).catch(() => null);
  if (real === null) throw new Error(`summary file ${path} does not exist`);
  if (!real.startsWith(root + sep)) throw new Error(`summary file ${path} is outside the working directory`);
  const checked = await stat(real);
  if (!checked.isFile()) throw new Error(`summary file ${path} is not a regular file`);
  return readSummaryFrom(real, 0, checked);
}

/**
 * Reads at most MAX_SUMMARY_BYTES from `offset` of a file StepFlow created ($GITHUB_STEP_SUMMARY), up to byte `until`
 * when given; `end` is the file's size.
 */
export async function readSummaryFrom(
  path: string,
  offset: number,
  expected?: { dev: number; ino: number },
  until?: number,
): Promise<SummaryRead> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (expected !== undefined && (info.dev !== expected.dev || info.ino !== expected.ino))
      throw new Error(`summary file ${path} changed while it was read`);
    const available = Math.max(0, Math.min(info.size, until ?? info.size) - offset);
    const length = Math.min(available, MAX_SUMMARY_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    // A cut may fall inside a UTF-8 sequence; the decoder replaces the partial character.
    return {
      text: buffer.subarray(0, bytesRead).toString('utf8'),
      truncated: available > MAX_SUMMARY_BYTES,
      end: info.size,
    };
  } finally {
    await handle.close();
  }
}
