// Owns sending a store's heavy reads (lists, statistics, log pages, search) to a read replica when the caller allows it.
import type { Store, StoreFigures } from './store.js';

/** The reads a replica answers; everything else (writes, single rows, the live feed's sources) goes to the primary. */
const REPLICA_READS = new Set<PropertyKey>(['listExecutions', 'statistics', 'readLogLines', 'searchLogs']);

/**
 * A Store that is `primary` except for REPLICA_READS, which `replica` answers while `useReplica()` is true. Its ping
 * checks both, its figures add the replica's pool, and closing closes both.
 */
export function routeReadsToReplica(primary: Store, replica: Store, useReplica: () => boolean): Store {
  const own: Partial<Store> = {
    async ping() {
      await primary.ping();
      try {
        await replica.ping();
      } catch (error) {
        throw new Error(`read replica: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    async figures(): Promise<StoreFigures> {
      const [figures, replicaFigures] = await Promise.all([primary.figures(), replica.figures()]);
      if (figures.backend !== 'postgres' || replicaFigures.backend !== 'postgres') return figures;
      return {
        ...figures,
        read_replica: { server_version: replicaFigures.server_version, pool: replicaFigures.pool },
      };
    },
    async close() {
      await Promise.all([primary.close(), replica.close()]);
    },
  };
  // The stores are classes with private fields: each method is called on its own store, never on the proxy.
  return new Proxy(primary, {
    get(target, property) {
      const mine = own[property as keyof Store];
      if (mine !== undefined) return mine;
      const source = REPLICA_READS.has(property) && useReplica() ? replica : target;
      const value: unknown = Reflect.get(source, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(source) : value;
    },
  });
}
