// Owns the ordered queue of one run's store writes, which gives the event loop a turn every few writes.

/** Writes of one run between two turns of the event loop: a few milliseconds of work at most. */
const WRITES_PER_TURN = 16;

/**
 * Runs writes one after another, in the order they were pushed. The store's writes are synchronous,
 * so writes queued back to back would all run in one microtask drain: a burst of thousands (one per
 * step marker) held every request until it was done. Every WRITES_PER_TURN writes the chain waits
 * for the next turn of the event loop instead.
 */
export class WriteChain {
  #tail: Promise<void> = Promise.resolve();
  #count = 0;
  readonly #onError: (error: unknown) => void;
  readonly #run: (write: () => Promise<void>) => Promise<void>;

  /**
   * `onError` hears each write that throws; the writes after it still run. `run` runs each write (default: once); the
   * service passes one that repeats a write while the database does not answer, so the writes behind it wait in order.
   */
  constructor(onError: (error: unknown) => void, run?: (write: () => Promise<void>) => Promise<void>) {
    this.#onError = onError;
    this.#run = run ?? ((write) => write());
  }

  /** Queues `write` after every write pushed before it. */
  push(write: () => Promise<void>): void {
    if (++this.#count % WRITES_PER_TURN === 0)
      this.#tail = this.#tail.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.#tail = this.#tail.then(() => this.#run(write)).catch(this.#onError);
  }

  /** Settles once every write pushed so far has run. */
  get settled(): Promise<void> {
    return this.#tail;
  }
}
