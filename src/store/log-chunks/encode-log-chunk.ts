// Owns sealing lines into one chunk: a line table (timestamps, streams, lengths) then the contents, Brotli-compressed.
import { brotliCompressSync, constants } from 'node:zlib';
import type { LogLine, LogStream } from '../../core/log-line.js';
import { buildGramFilter } from './gram-filter.js';
import { CHUNK_CODEC_BROTLI, type EncodedLogChunk } from './log-chunk.js';

/** Stream codes inside a chunk's line table. */
export const STREAM_CODES: Readonly<Record<LogStream, number>> = { stdout: 0, stderr: 1, system: 2 };
// Quality 3 with a 64 KiB window: as small as deflate level 6 on CI logs at a third of its CPU (docs/benchmarks.md).
const BROTLI_OPTIONS = {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 3,
    [constants.BROTLI_PARAM_LGWIN]: 16,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
  },
};

/** Writes `value` (a non-negative integer up to 2^53) as a little-endian base-128 varint; returns the next offset. */
function writeVarint(target: Buffer, offset: number, value: number): number {
  let rest = value;
  let at = offset;
  while (rest >= 0x80) {
    target[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  target[at++] = rest;
  return at;
}

/** Encodes the line table: count, then per line the zig-zagged timestamp delta, stream code and content length in UTF-16 code units. */
function encodeLineTable(lines: readonly LogLine[]): Buffer {
  const table = Buffer.allocUnsafe(10 + lines.length * 20);
  let at = writeVarint(table, 0, lines.length);
  let previous = 0;
  for (const line of lines) {
    const delta = line.ts - previous;
    previous = line.ts;
    at = writeVarint(table, at, delta >= 0 ? delta * 2 : -delta * 2 - 1);
    table[at++] = STREAM_CODES[line.stream];
    at = writeVarint(table, at, line.content.length);
  }
  return table.subarray(0, at);
}

/** Seals contiguous lines of one step (at least one) into a compressed chunk with its metadata and trigram filter. */
export function encodeLogChunk(lines: readonly LogLine[]): EncodedLogChunk {
  const first = lines[0];
  const last = lines.at(-1);
  if (first === undefined || last === undefined) throw new Error('a log chunk needs at least one line');
  const contents = lines.map((line) => line.content);
  const counts = [0, 0, 0];
  let chars = 0;
  for (const line of lines) {
    counts[STREAM_CODES[line.stream]] = (counts[STREAM_CODES[line.stream]] as number) + 1;
    chars += line.content.length;
  }
  const data = brotliCompressSync(
    Buffer.concat([encodeLineTable(lines), Buffer.from(contents.join(''), 'utf8')]),
    BROTLI_OPTIONS,
  );
  return {
    first_line: first.line,
    last_line: last.line,
    step_index: first.step_index,
    stdout_lines: counts[0] as number,
    stderr_lines: counts[1] as number,
    system_lines: counts[2] as number,
    text_chars: chars,
    codec: CHUNK_CODEC_BROTLI,
    data,
    grams: buildGramFilter(contents, data.length),
  };
}
