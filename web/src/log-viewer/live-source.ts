// Owns the contract between an execution's live subscription and the viewers on its page.
import type { WireLogLine } from '../../../src/core/wire-types';

/** Live lines of one execution; viewers wait for `ready` (the subscription's snapshot) before their first read, so no line falls between. */
export interface LiveSource {
  ready: Promise<void>;
  listen(listener: (lines: WireLogLine[]) => void): () => void;
}

/** A LiveSource fed by the page's subscription: call `resolve` on the snapshot and `push` for every batch. */
export function createLiveSource(): LiveSource & { resolve(): void; push(lines: WireLogLine[]): void } {
  const listeners = new Set<(lines: WireLogLine[]) => void>();
  let resolve!: () => void;
  const ready = new Promise<void>((done) => {
    resolve = done;
  });
  // Without a live connection viewers must still load what is stored, so do not wait forever.
  window.setTimeout(() => resolve(), 3000);
  return {
    ready,
    resolve: () => resolve(),
    push: (lines) => {
      for (const listener of listeners) listener(lines);
    },
    listen: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
