// Owns starting this server's part among servers sharing a database: the relay of live changes and membership (heartbeats, lost servers, queue polling).
import type { EventBus } from './bus/event-bus.js';
import { startClusterMembership } from './service/cluster-membership.js';
import { startClusterRelay } from './service/cluster-relay.js';
import type { ExecutionService } from './service/execution-service.js';
import type { ServiceLogger } from './service/service-deps.js';
import type { ClusterCoordinator } from './store/cluster-coordinator.js';
import type { Store } from './store/store.js';

/** What the cluster parts are wired to. */
export interface ClusterParts {
  cluster: ClusterCoordinator;
  store: Store;
  bus: EventBus;
  logger: ServiceLogger;
  service: ExecutionService;
  /** True while a WebSocket client here follows the execution. */
  watching: (executionId: number) => boolean;
  lostSeconds: number;
}

/** Running cluster parts: `stopClaiming` before the service shuts down, `close` after it. */
export interface RunningCluster {
  stopClaiming(): void;
  close(): Promise<void>;
}

/** Starts relaying and heartbeating; call before the service's recovery so this server counts as alive when it claims. */
export async function composeCluster(parts: ClusterParts): Promise<RunningCluster> {
  const { cluster, service } = parts;
  const stopRelay = await startClusterRelay({
    store: parts.store,
    bus: parts.bus,
    cluster,
    logger: parts.logger,
    watched: parts.watching,
    onPending: () => service.pull(),
    onCancel: (executionId) => service.cancelLocal(executionId),
    onHandOff: (notice) => service.agents.onNotice(notice),
  });
  const stopMembership = await startClusterMembership({
    cluster,
    lostSeconds: parts.lostSeconds,
    logger: parts.logger,
    pull: () => service.pull(),
    onLost: (lost) => service.failLost(lost),
  });
  return {
    stopClaiming: stopMembership,
    async close() {
      stopMembership();
      stopRelay();
      await cluster.close();
    },
  };
}
