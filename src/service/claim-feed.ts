// Owns feeding the local execution queue from the shared one: claims as many pending executions as there are free slots.
import type { ClusterCoordinator } from '../store/cluster-coordinator.js';
import type { ExecutionQueue } from './execution-queue.js';
import type { ServiceLogger } from './service-deps.js';

/** Pulls work from the database queue; `pull()` may be called any time, claims never overlap. */
export interface ClaimFeed {
  pull(): void;
}

/** Creates the feed; `canClaim()` false (shutting down, storage failed) claims nothing. */
export function createClaimFeed(cluster: ClusterCoordinator, queue: ExecutionQueue, limit: number, canClaim: () => boolean, logger: ServiceLogger): ClaimFeed {
  let claiming = false;
  let again = false;

  async function claim(): Promise<void> {
    do {
      again = false;
      const free = limit - queue.running - queue.waiting;
      if (free <= 0 || !canClaim()) return;
      const ids = await cluster.claimPending(free);
      for (const id of ids) queue.push(id);
      // A full claim may have left more behind; claim again while slots are free.
      if (ids.length === free) again = true;
    } while (again);
  }

  return {
    pull() {
      if (claiming) {
        again = true;
        return;
      }
      claiming = true;
      claim()
        .catch((error: unknown) => logger.warn({ err: error }, 'could not claim pending executions'))
        .finally(() => {
          claiming = false;
        });
    },
  };
}
