// Owns reading a script's output streams in batches whose lines can be ordered safely across the two streams.
//
// The script's stdout and stderr are two pipes, read as the event loop sees them ready: a line
// written to stderr after a MASK line on stdout can be read first when stdout is backed up (20,000
// lines ahead of the MASK). A write returns only once its bytes are in the pipe, so whatever the
// script wrote before a line we read is, by then, in its pipe or already read. So when a chunk
// arrives, both pipes are read until a full round finds both empty: the batch then holds, with
// every line it holds, every line written before it on either stream (or that line came in an
// earlier batch). Within a batch the order across the two streams is unknown; the caller masks
// conservatively there (see script-outputs.ts). One batch reads at most `limit` bytes, so the work
// per byte stays O(1); a script that writes more than that without pause can defeat the order.

/** One output stream as the batcher drives it. */
export interface HeldOutput {
  /**
   * Delivers, through the batcher's `arrive`, what the stream holds right now (bytes already read
   * but not delivered, then its pipe until empty), at most `limit` bytes; returns how many.
   */
  readHeld(limit: number): number;
}

/** The most one batch reads: four times the largest pipe an unprivileged process can make. */
export const MAX_BATCH_BYTES = 4 * 1_048_576;

/**
 * Groups deliveries into batches: `arrive(i, chunk)` delivers the chunk, then reads every stream
 * until all are empty, then calls `endBatch`. Arrivals during a batch join it.
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
    this.batch(() => this.deliver(index, chunk));
  }

  /**
   * Runs `first` (delivering something, or ending a stream) as the start of a batch, reads what
   * every stream holds, then ends the batch; inside a batch it only runs `first`.
   */
  batch(first: () => void): void {
    if (this.inBatch) return first();
    this.inBatch = true;
    try {
      first();
      this.readAll();
    } finally {
      this.inBatch = false;
    }
    this.endBatch();
  }

  private readAll(): void {
    let total = 0;
    for (;;) {
      let round = 0;
      for (const output of this.outputs) round += output.readHeld(Math.max(0, this.limit - total - round));
      total += round;
      if (round === 0 || total >= this.limit) return;
    }
  }
}
