// Owns the log chunk's shape and limits: what every store keeps per sealed chunk, readable without decompressing.
import type { LogLine } from '../../core/log-line.js';

/** A chunk seals at this many lines. */
export const CHUNK_MAX_LINES = 1024;
/** A chunk seals once its text reaches this many UTF-16 code units (64 KiB of ASCII). */
export const CHUNK_MAX_CHARS = 64 * 1024;
/** Codec of chunks written now: 1 = line table + contents, Brotli (Node 20 has no zstd). */
export const CHUNK_CODEC_BROTLI = 1;

/** A sealed chunk: contiguous lines of one step, compressed, with what a reader needs to skip it. */
export interface EncodedLogChunk {
  first_line: number;
  last_line: number;
  /** Every line of a chunk belongs to this step (null: outside every step). */
  step_index: number | null;
  stdout_lines: number;
  stderr_lines: number;
  system_lines: number;
  /** Characters of content (UTF-16 code units) before compression. */
  text_chars: number;
  codec: number;
  data: Buffer;
  /** Trigram filter over the lines' visible text, lower-cased (see gram-filter.ts). */
  grams: Buffer;
}

/** The metadata of a stored chunk, without its payload. */
export type LogChunkMeta = Omit<EncodedLogChunk, 'data' | 'grams'>;

/** How many of the chunk's lines a stream filter keeps. */
export function countChunkLines(
  chunk: Pick<LogChunkMeta, 'stdout_lines' | 'stderr_lines' | 'system_lines'>,
  stream: LogLine['stream'] | undefined,
): number {
  if (stream === 'stdout') return chunk.stdout_lines;
  if (stream === 'stderr') return chunk.stderr_lines;
  if (stream === 'system') return chunk.system_lines;
  return chunk.stdout_lines + chunk.stderr_lines + chunk.system_lines;
}
