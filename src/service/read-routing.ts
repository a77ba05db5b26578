// Owns deciding which reads a read replica may answer: a request's, unless its client wrote within the last few seconds.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../core/clock.js';

/** Routes reads between the primary database and a read replica. */
export interface ReadRouting {
  /** Runs `next` as a request of `client` (its key, session or address): its reads may go to the replica. */
  enter(client: string, next: () => void): void;
  /** Records a write by `client`: for the next `windowMs` its reads go to the primary, so it reads its own write. */
  wrote(client: string): void;
  /** True when the read being made may be answered by the replica: inside a request of a client that has not just written. */
  replicaAllowed(): boolean;
}

/**
 * Creates the routing. Anything outside a request (runs, the live feed, retention, the cluster) always reads the
 * primary: it needs what was just stored.
 */
export function createReadRouting(clock: Clock, windowMs: number): ReadRouting {
  const current = new AsyncLocalStorage<string>();
  // Client -> time of its last write, oldest first (re-inserted on each write), so expired entries leave from the front.
  const lastWrite = new Map<string, number>();

  function forgetExpired(now: number): void {
    for (const [client, at] of lastWrite) {
      if (now - at < windowMs) return;
      lastWrite.delete(client);
    }
  }

  return {
    enter: (client, next) => current.run(client, next),
    wrote(client) {
      const now = clock.now();
      lastWrite.delete(client);
      lastWrite.set(client, now);
      forgetExpired(now);
    },
    replicaAllowed() {
      const client = current.getStore();
      if (client === undefined) return false;
      const at = lastWrite.get(client);
      return at === undefined || clock.now() - at >= windowMs;
    },
  };
}
