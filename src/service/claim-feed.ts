// Owns feeding the local execution queue from the shared one: claims as many pending executions as there are free slots.
import type { ClusterCoordinator } from '../store/cluster-coordinator.js';
import type { ExecutionQueue } from './execution-queue.js';
import type { ServiceLogger } from './service-deps.js';

/** Pulls work from the database queue; `pull()` may be called any time, claims never overlap. */
export interface ClaimFeed {
  /**
   * Claims while slots are free. With `announce` (a creation here), other servers are told there is work
   * only when this one could not take all of it, so a server with room runs what it was sent itself.
   */
  pull(announce?: boolean): void;
}

/** Creates the feed; `canClaim()` false (shutting down, storage failed) claims nothing. */
export function createClaimFeed(
  cluster: ClusterCoordinator,
  queue: ExecutionQueue,
  limit: number,
  canClaim: () => boolean,
  logger: ServiceLogger,
): ClaimFeed {
  let claiming = false;
  let again = false;
  let announce = false;

  async function claim(): Promise<void> {
    do {
      again = false;
      const free = canClaim() ? limit - queue.running - queue.waiting : 0;
      const ids = free > 0 ? await cluster.claimPending(free) : [];
      for (const id of ids) queue.push(id);
      // A full claim may have left more behind: claim again while slots are free, and let the others know.
      const leftover = free <= 0 || ids.length === free;
      if (announce && leftover) await cluster.notify({ kind: 'pending', server: cluster.serverName });
      announce = false;
      if (free > 0 && ids.length === free) again = true;
    } while (again);
  }

  return {
    pull(announceWork = false) {
      announce ||= announceWork;
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
