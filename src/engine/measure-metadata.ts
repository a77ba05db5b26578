// Owns how metadata is sized against the engine's bounds: UTF-8 bytes of keys and of values as text.
import type { MetadataSize } from './engine-types.js';

/** Bytes one metadata entry counts for: its key plus its value as text (JSON for anything but a string). */
export function measureMetadataEntry(key: string, value: unknown): number {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return Buffer.byteLength(key, 'utf8') + Buffer.byteLength(text, 'utf8');
}

/** The size of a whole metadata object; measured once, for what an execution starts with. */
export function measureMetadata(metadata: Record<string, unknown>): MetadataSize {
  const size: MetadataSize = { keys: 0, bytes: 0 };
  for (const [key, value] of Object.entries(metadata)) {
    size.keys++;
    size.bytes += measureMetadataEntry(key, value);
  }
  return size;
}
