// Scenario 3: mixed stress — 60 % reads (list, get, logs page) / 40 % writes (create `true`), bounded concurrency, for 30 s.
import { createExecution, getJson, waitUntilEnded } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { runLoad, type LoadRequest } from '../lib/run-load.js';
import { printTable, summarizeLatencies } from '../lib/stats.js';

/** Figures of the mixed run. */
export interface MixedStressResult {
  connections: number;
  seconds: number;
  operations: number;
  opsPerSecond: number;
  errors: number;
  errorSamples: string[];
  byKind: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  /** Successful operations in each second of the run (the throughput-over-time plot). */
  perSecond: number[];
  /** Executions created but still waiting or running when the load stopped (they start at spawn speed, not request speed). */
  activeAtEnd: number | null;
}

/** Operations the load takes in turn: 20 % list, 20 % get, 20 % logs page, 40 % create; reads hit executions that have logs. */
function createOperations(ids: readonly number[]): LoadRequest[] {
  // One full cycle of turn (mod ids, mod 10 slots, mod 400 log offsets): the mix and the pages visited are those of a running counter.
  return Array.from({ length: 400 }, (_, turn) => {
    const id = ids[turn % ids.length]!;
    const slot = turn % 10;
    if (slot < 2) return { kind: 'list', method: 'GET', path: '/api/executions?limit=10' };
    if (slot < 4) return { kind: 'get', method: 'GET', path: `/api/executions/${id}` };
    if (slot < 6)
      return {
        kind: 'logs page',
        method: 'GET',
        path: `/api/executions/${id}/logs?offset=${((turn + 1) * 7) % 400}&limit=100`,
      };
    return { kind: 'create', method: 'POST', path: '/api/executions', body: '{"name":"stress","command":"true"}' };
  });
}

async function activeNow(base: string): Promise<number | null> {
  const stats = await getJson<{ active_now?: number }>(base, '/api/executions/statistics').catch(() => null);
  return stats?.active_now ?? null;
}

/** The pending-queue bound of the server scenario 3 starts (`--max-queued`). */
export const MIXED_MAX_QUEUED = 1_000_000;

/** Runs scenario 3 and prints its table; any error is a correctness failure. */
export async function benchMixedStress(context: BenchContext): Promise<MixedStressResult> {
  const connections = context.quick ? 10 : 50;
  const seconds = context.quick ? 3 : 30;
  // 40 % creations outrun any 2-core machine's process starts, so the pending queue grows for the whole run. This
  // scenario measures request throughput, not the queue bound (10,000 by default, then 503 queue_full by design).
  const server = await context.target.open('3 mixed stress', undefined, ['--max-queued', String(MIXED_MAX_QUEUED)]);
  try {
    // Ten executions of 500 lines each give the reads real rows and log pages to fetch.
    const ids = await Promise.all(
      Array.from({ length: 10 }, () => createExecution(server.url, { name: 'stress reads', command: 'seq 1 500' })),
    );
    for (const id of ids) await waitUntilEnded(server.url, id, 60_000);
    const load = await runLoad(server.url, connections, seconds, createOperations(ids), {
      workers: context.loadWorkers,
    });
    const latency = summarizeLatencies(load.latenciesMs);
    const result: MixedStressResult = {
      connections,
      seconds,
      operations: load.requests,
      opsPerSecond: load.latenciesMs.length / seconds,
      errors: load.errors,
      errorSamples: load.errorSamples,
      byKind: load.byKind,
      p50Ms: latency.median,
      p99Ms: latency.p99,
      perSecond: load.perSecond,
      activeAtEnd: await activeNow(server.url),
    };
    printTable(
      `3. Mixed stress: ${connections} connections in flight for ${seconds} s, 60 % reads (list / get / logs page of 100) / 40 % creates of \`true\` (target: >= 10,000 ops/s, zero errors)`,
      [
        {
          'ops/s': Math.round(result.opsPerSecond),
          operations: result.operations,
          errors: result.errors,
          ...Object.fromEntries(Object.entries(result.byKind).map(([kind, n]) => [kind, n])),
          'p50 ms': result.p50Ms,
          'p99 ms': result.p99Ms,
          'active at end': result.activeAtEnd ?? 'n/a',
        },
      ],
    );
    if (result.errors > 0)
      noteFailure(context, `mixed stress: ${result.errors} errors, e.g. ${result.errorSamples.join('; ')}`);
    return result;
  } finally {
    await server.stop();
  }
}
