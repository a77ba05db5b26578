// Owns the one ordered shutdown of a started (or half-started) server: what stops first, what closes last.
import type { pino } from 'pino';
import type { RunningCluster } from './compose-cluster.js';

/** What the one ordered shutdown stops. */
export interface StoppableParts {
  http: { close(): Promise<void> };
  retention: { stop(): Promise<void> };
  service: { shutdown(): Promise<void> };
  sealer: { stop(): Promise<void> };
  /** This server's part among servers sharing the database, or null. */
  cluster: RunningCluster | null;
  hub: { close(): Promise<void> };
  samplers: readonly { stop(): void }[];
  processLimit: { dispose(): void };
  spawner: { close(): Promise<void> };
  store: { close(): Promise<void> };
  logger: pino.Logger;
}

/** The one shutdown, used by close() and by a failed start alike; calling it again returns the same promise. */
export function createShutdown(parts: StoppableParts): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () =>
    (closing ??= (async () => {
      // The listener closes first; in-flight requests (e.g. a cancel waiting for its run) finish once runs are stopped.
      const httpClosed = parts.http.close();
      await parts.retention.stop();
      parts.cluster?.stopClaiming();
      await parts.service.shutdown();
      // After the runs, whose ends it seals; before the store closes under it.
      await parts.sealer.stop();
      // After the runs stop, so the other servers hear them end; then this server's pending claims go back to the queue.
      await parts.cluster?.close();
      // After the runs stop, so subscribers see them end; upgraded sockets would otherwise keep the HTTP server open.
      await parts.hub.close();
      await httpClosed;
      for (const sampler of parts.samplers) sampler.stop();
      parts.processLimit.dispose();
      await parts.spawner.close();
      // Last: everything above may still write (final log lines, execution ends).
      await parts.store.close();
      parts.logger.info('stopped');
    })());
}
