// Owns the byte counter that stops a stream once it carries more than an artifact may hold.
import { Transform } from 'node:stream';

/** Raised when an artifact (copied file, packed directory or upload) grows past the size limit. */
export class ArtifactTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`over the ${maxBytes}-byte artifact limit`);
    this.name = 'ArtifactTooLargeError';
  }
}

/** A pass-through stream that counts bytes and fails with ArtifactTooLargeError past `maxBytes`. */
export interface ByteLimit extends Transform {
  readonly bytes: number;
}

/** Creates a counting pass-through; put it between any source and the file an artifact is written to. */
export function createByteLimit(maxBytes: number): ByteLimit {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      // Failing the stream stops the source at once; a file that grew after stat() or a huge upload is not read to its end.
      if (bytes > maxBytes) callback(new ArtifactTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
  return Object.defineProperty(limit, 'bytes', { get: () => bytes }) as ByteLimit;
}
