// Scenario 1: API response time of /api/health and /api/executions?limit=10 — the old tool's 10 sequential requests, and 50 connections for 10 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getJson } from '../lib/api.js';
import type { BenchContext } from '../lib/bench-context.js';
import { runLoad } from '../lib/run-load.js';
import { seedExecutions } from '../lib/seed-executions.js';
import { printTable, summarizeLatencies, type LatencySummary } from '../lib/stats.js';

const ENDPOINTS = ['/api/health', '/api/executions?limit=10'] as const;

/** Figures of one endpoint at one stored-row count. */
export interface ApiResponseResult {
  endpoint: string;
  rows: number;
  /** The old method: 10 sequential requests after a warm-up. */
  sequential: LatencySummary;
  load: {
    connections: number;
    seconds: number;
    requestsPerSecond: number;
    errors: number;
    errorSamples: string[];
    latency: LatencySummary;
    perSecond: number[];
  };
}

async function sequential(url: string, count: number): Promise<LatencySummary> {
  // Warm-up, so the first-request costs (connection, JIT, page cache) do not land in ten samples.
  for (let i = 0; i < 20; i++) await (await fetch(url)).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
  }
  return summarizeLatencies(times);
}

async function measureEndpoints(
  base: string,
  rows: number,
  connections: number,
  seconds: number,
  workers: number,
): Promise<ApiResponseResult[]> {
  const results: ApiResponseResult[] = [];
  for (const endpoint of ENDPOINTS) {
    const old = await sequential(base + endpoint, 10);
    const load = await runLoad(base, connections, seconds, [{ kind: endpoint, method: 'GET', path: endpoint }], {
      workers,
    });
    const loadFigures = {
      connections,
      seconds,
      requestsPerSecond: load.latenciesMs.length / seconds,
      errors: load.errors,
      errorSamples: load.errorSamples,
      latency: summarizeLatencies(load.latenciesMs),
      perSecond: load.perSecond,
    };
    results.push({ endpoint, rows, sequential: old, load: loadFigures });
  }
  return results;
}

async function measureLocal(
  context: BenchContext,
  rowCounts: readonly number[],
  connections: number,
  seconds: number,
): Promise<ApiResponseResult[]> {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-bench-api-'));
  const results: ApiResponseResult[] = [];
  try {
    let seeded = 0;
    for (const rows of rowCounts) {
      const took = await seedExecutions(storage, seeded, rows);
      if (rows > seeded)
        console.log(`seeded ${(rows - seeded).toLocaleString('en-US')} executions in ${took.toFixed(1)} s`);
      seeded = rows;
      const server = await context.target.open('1 api response', storage);
      try {
        results.push(...(await measureEndpoints(server.url, rows, connections, seconds, context.loadWorkers)));
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
  return results;
}

/** Names the load generator in the table title. */
function generatorText(workers: number): string {
  return workers === 1 ? 'one Node load generator' : `load generator in ${workers} Node processes`;
}

/** Runs scenario 1; against a foreign server it measures the rows it already has (seeding goes through our store). */
export async function benchApiResponse(context: BenchContext): Promise<ApiResponseResult[]> {
  const connections = context.quick ? 10 : 50;
  const seconds = context.quick ? 1 : 10;
  let results: ApiResponseResult[];
  if (context.target.foreign) {
    const server = await context.target.open('1 api response');
    const stored = await getJson<{ total_count?: number; executions?: unknown[] } | unknown[]>(
      server.url,
      '/api/executions?limit=1',
    );
    const rows = Array.isArray(stored) ? Number.NaN : (stored.total_count ?? Number.NaN);
    console.log(
      'seeding 0 / 1,000 / 100,000 rows: n/a for --target (seeding goes through our store); measuring the rows it has',
    );
    results = await measureEndpoints(server.url, rows, connections, seconds, context.loadWorkers);
  } else {
    results = await measureLocal(context, context.quick ? [1000] : [0, 1000, 100_000], connections, seconds);
  }
  printTable(
    '1a. API response time, old method: 10 sequential requests after 20 warm-up, ms',
    results.map((r) => ({
      endpoint: r.endpoint,
      rows: r.rows,
      avg: r.sequential.avg,
      min: r.sequential.min,
      max: r.sequential.max,
      median: r.sequential.median,
    })),
  );
  printTable(
    `1b. API under load: ${connections} keep-alive connections for ${seconds} s, ${generatorText(context.loadWorkers)} (targets: health >= 15,000 req/s, list at 100k rows >= 8,000 req/s)`,
    results.map((r) => ({
      endpoint: r.endpoint,
      rows: r.rows,
      'req/s': Math.round(r.load.requestsPerSecond),
      'p50 ms': r.load.latency.median,
      'p99 ms': r.load.latency.p99,
      errors: r.load.errors,
    })),
  );
  return results;
}
