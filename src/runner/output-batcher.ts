// Owns reading a script's output streams in batches whose lines can be ordered safely across the two streams.
//
// The script's stdout and stderr are two pipes, read as the event loop sees them ready: a line
// written to stderr after a MASK line on stdout can be read first when stdout is backed up (20,000
// lines ahead of the MASK). A write returns only once its bytes are in the pipe, so whatever the
// script wrote before a line we read is, by then, in its pipe or already read. So after a chunk
// arrives, the other stream is read until empty; if that gave anything, the first is read until
// empty again, and so on until a read finds nothing: the batch then holds, with every line it
// holds, every line written before it on either stream (or that line came in an earlier batch).
// Within a batch the order across the two streams is unknown; the caller masks conservatively
// there (see script-outputs.ts). A single stream's chunk costs one empty read of the other. One
// batch reads at most `limit` bytes, so the work per byte stays O(1); a script that keeps writing
// faster than that is read, on both streams, can defeat the order.

/** One output stream as the batcher drives it. */
export interface HeldOutput {
  /**
   * Delivers, through the batcher's `arrive`, what the stream holds right now (bytes already read
   * but not delivered, then its pipe until empty), at most `limit` bytes; returns how many.
   */
  readHeld(limit: number): number;
}

/**
 * The most one batch reads: the largest pipe an unprivileged process can make (fs.pipe-max-size),
 * sixteen times the default one. It also bounds the lines held before the engine sees them.
 */
export const MAX_BATCH_BYTES = 1_048_576;

/**
 * Groups deliveries into batches: `arrive(i, chunk)` delivers the chunk, then reads the other
 * streams (and back) until a read finds nothing, then calls `endBatch`. Arrivals during a batch join it.
 */
export class OutputBatcher {
  private readonly outputs: HeldOutput[] = [];
  private inBatch = false;

  constructor(
    private readonly deliver: (index: number, chunk: Buffer) => void,
    private readonly endBatch: () => void,
    private readonly limit = MAX_BATCH_BYTES,
  ) {}

  /** Adds a stream; returns its index for `arrive`. */
  add(output: HeldOutput): number {
    return this.outputs.push(output) - 1;
  }

  /** A chunk of stream `index` was read. */
  arrive(index: number, chunk: Buffer): void {
    this.batch(index, () => this.deliver(index, chunk));
  }

  /**
   * Runs `first` (stream `index` delivering something, or ending) as the start of a batch, reads
   * what the other streams hold, then ends the batch; inside a batch it only runs `first`.
   */
  batch(index: number, first: () => void): void {
    if (this.inBatch) return first();
    this.inBatch = true;
    try {
      first();
      this.readOthers(index);
    } finally {
      this.inBatch = false;
    }
    this.endBatch();
  }

  /** Reads every stream but the last one that gave bytes, until none gives any (or the limit). */
  private readOthers(index: number): void {
    let total = 0;
    let gave = new Set([index]);
    while (gave.size > 0 && total < this.limit) {
      const before = gave;
      gave = new Set();
      this.outputs.forEach((output, other) => {
        // A stream must be read after every other stream's last bytes; its own reads need no re-check.
        if (before.size === 1 && before.has(other)) return;
        const bytes = output.readHeld(Math.max(0, this.limit - total));
        total += bytes;
        if (bytes > 0) gave.add(other);
      });
    }
  }
}
