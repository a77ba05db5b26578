// Owns execution ends that could not be stored for lack of space: kept in memory and stored once there is room, so no execution stays running.
import type { ServiceLogger } from './service-deps.js';
import { isStorageFailure } from './storage-failure.js';

/** A store write that ends one execution; safe to run more than once. */
export type EndWrite = () => Promise<void>;

/** Ends waiting for storage to have room again. */
export interface PendingEnds {
  /**
   * Stores an end now. On a storage failure it reports it (the host then frees its storage reserve)
   * and tries once more; if that fails too, the end is kept for `retry()`.
   */
  settle(executionId: number, write: EndWrite): Promise<void>;
  /** Stores the kept ends again, oldest first; stops at the first that still does not fit. */
  retry(): Promise<void>;
  /** Ends kept for a retry. */
  readonly size: number;
}

/** Creates the keeper; `onStorageFailure` is told about every storage failure of an end write. */
export function createPendingEnds(onStorageFailure: (error: unknown) => void, logger: ServiceLogger): PendingEnds {
  const kept = new Map<number, EndWrite>();

  function giveUp(executionId: number, error: unknown): void {
    // Not the disk: retrying the same write cannot help, and the next start's recovery still ends the execution.
    kept.delete(executionId);
    logger.error({ execution_id: executionId, err: error }, 'could not store the end of an execution');
  }

  return {
    async settle(executionId, write) {
      for (let attempt = 1; ; attempt++) {
        try {
          await write();
          kept.delete(executionId);
          return;
        } catch (error) {
          if (!isStorageFailure(error)) return giveUp(executionId, error);
          onStorageFailure(error);
          if (attempt >= 2) {
            kept.set(executionId, write);
            logger.error(
              { execution_id: executionId, err: error },
              'the end of an execution is kept until storage has room',
            );
            return;
          }
        }
      }
    },
    async retry() {
      for (const [executionId, write] of [...kept]) {
        try {
          await write();
          kept.delete(executionId);
        } catch (error) {
          if (!isStorageFailure(error)) {
            giveUp(executionId, error);
            continue;
          }
          onStorageFailure(error);
          return;
        }
      }
    },
    get size() {
      return kept.size;
    },
  };
}
