// Owns reading a sealed chunk back into its lines.
import { brotliDecompressSync } from 'node:zlib';
import type { LogLine, LogStream } from '../../core/log-line.js';
import { CHUNK_CODEC_BROTLI, type LogChunkMeta } from './log-chunk.js';

const STREAMS: readonly LogStream[] = ['stdout', 'stderr', 'system'];

/**
 * Decodes a chunk's payload into its lines, numbered from its first line and tagged with its step; `from`/`to`
 * (line numbers, inclusive) build only the lines a page needs.
 */
export function decodeLogChunk(meta: Pick<LogChunkMeta, 'first_line' | 'step_index' | 'codec'>, data: Uint8Array, from = -Infinity, to = Infinity): LogLine[] {
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
  const table: { ts: number; stream: LogStream; bytes: number }[] = new Array(count);
  let ts = 0;
  for (let i = 0; i < count; i++) {
    const zigzag = readVarint();
    ts += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    const stream = STREAMS[payload[at++] as number] ?? 'stdout';
    table[i] = { ts, stream, bytes: readVarint() };
  }
  const lines: LogLine[] = [];
  for (let i = 0; i < count; i++) {
    const entry = table[i] as { ts: number; stream: LogStream; bytes: number };
    const line = meta.first_line + i;
    if (line >= from && line <= to) lines.push({ line, ts: entry.ts, stream: entry.stream, step_index: meta.step_index, content: payload.toString('utf8', at, at + entry.bytes) });
    at += entry.bytes;
  }
  return lines;
}
