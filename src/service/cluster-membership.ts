// Owns this server's part in a cluster: heartbeats, taking over lost servers' executions, and polling the shared queue.
import type { ClusterCoordinator, LostServer } from '../store/cluster-coordinator.js';
import type { ServiceLogger } from './service-deps.js';

/** What membership needs; `pull` claims queued executions while slots are free, `onLost` fails a lost server's runs. */
export interface ClusterMembershipDeps {
  cluster: ClusterCoordinator;
  lostSeconds: number;
  logger: ServiceLogger;
  pull: () => void;
  onLost: (lost: LostServer) => Promise<void>;
}

/** How often the queue is polled besides the notices (a missed notice, a released claim). */
const POLL_MS = 1_000;

/** Heartbeats now (so this server counts as alive before it claims anything), then keeps the timers running; returns stop. */
export async function startClusterMembership(deps: ClusterMembershipDeps): Promise<() => void> {
  const { cluster, logger } = deps;
  await cluster.heartbeat();
  // Three beats per lost period: one late or failed beat never makes a live server look lost.
  const beatMs = Math.max(100, Math.round((deps.lostSeconds * 1000) / 3));
  let reaping = false;
  const beat = setInterval(() => {
    cluster.heartbeat().catch((error: unknown) => logger.warn({ err: error }, 'heartbeat failed'));
    if (reaping) return;
    reaping = true;
    void reap().finally(() => {
      reaping = false;
    });
  }, beatMs);
  const poll = setInterval(deps.pull, POLL_MS);

  async function reap(): Promise<void> {
    try {
      for (const lost of await cluster.reapLost(deps.lostSeconds)) {
        logger.warn(
          { server: lost.server, running: lost.running },
          'server lost: failing its running executions, its pending ones run elsewhere',
        );
        await deps.onLost(lost);
      }
      deps.pull();
    } catch (error) {
      logger.warn({ err: error }, 'could not check for lost servers');
    }
  }

  return () => {
    clearInterval(beat);
    clearInterval(poll);
  };
}
