// Owns reading a sealed chunk back into its lines.
import { brotliDecompressSync } from 'node:zlib';
import type { LogLine, LogStream } from '../../core/log-line.js';
import { CHUNK_CODEC_BROTLI, type LogChunkMeta } from './log-chunk.js';

const STREAMS: readonly LogStream[] = ['stdout', 'stderr', 'system'];

/**
 * Decodes a chunk's payload into its lines, numbered from its first line and tagged with its step; `from`/`to`
 * (line numbers, inclusive) build only the lines a page needs.
 */
export function decodeLogChunk(
  meta: Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'>,
  data: Uint8Array,
  from = -Infinity,
  to = Infinity,
): LogLine[] {
  if (meta.codec !== CHUNK_CODEC_BROTLI) throw new Error(`unknown log chunk codec ${meta.codec}`);
  const payload = brotliDecompressSync(data);
  let at = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = payload[at++];
      if (byte === undefined) throw new Error('truncated log chunk');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  const count = readVarint();
  const times = new Float64Array(count);
  const streams = new Uint8Array(count);
  const lengths = new Uint32Array(count);
  let ts = 0;
  for (let i = 0; i < count; i++) {
    const zigzag = readVarint();
    ts += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    times[i] = ts;
    streams[i] = payload[at++] as number;
    lengths[i] = readVarint();
  }
  // One UTF-8 decode for all contents; lengths are UTF-16 code units, so each line is a cheap slice.
  const text = payload.toString('utf8', at);
  const lines: LogLine[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const line = meta.first_line + i;
    const length = lengths[i] as number;
    if (line >= from && line <= to) {
      lines.push({
        line,
        ts: times[i] as number,
        stream: STREAMS[streams[i] as number] ?? 'stdout',
        step_index: meta.step_index,
        content: text.slice(offset, offset + length),
      });
    }
    offset += length;
  }
  return lines;
}
