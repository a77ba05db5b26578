// Scenario: GET /api/executions?limit=10 and /api/health, sequential requests, with N executions stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';
import { startBenchServer } from '../lib/bench-server.js';
import { percentile, printTable } from '../lib/stats.js';

/** Latency figures of one endpoint, in milliseconds. */
export interface LatencyResult {
  endpoint: string;
  rows: number;
  median: number;
  p99: number;
  mean: number;
}

/** Fills a fresh storage directory with `count` finished executions, straight through the store. */
async function seed(storage: string, count: number): Promise<void> {
  const store = await openSqliteStore({ storagePath: storage, cacheSizeKib: 65536, walAutocheckpoint: 1000 });
  const base = Date.now() - count * 1000;
  for (let i = 0; i < count; i++) {
    const created = base + i * 1000;
    const record = await store.createExecution({ name: `seeded ${i}`, command: `./build.sh --target ${i % 7}`, working_directory: '/tmp', environment: {}, tags: i % 10 === 0 ? ['nightly'] : [], metadata: {}, user: `user${i % 5}`, timeout_seconds: null }, created);
    await store.updateExecution(record.id, { status: i % 9 === 0 ? 'failed' : 'completed', exit_code: i % 9 === 0 ? 1 : 0, started_at: created + 10, completed_at: created + 900, total_steps: 4, completed_steps: 4 });
  }
  await store.close();
}

async function measure(url: string, requests: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) await (await fetch(url)).arrayBuffer();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
  }
  return times;
}

/** Seeds `rows` executions, then times `requests` sequential requests per endpoint. */
export async function benchListLatency(rows: number, requests: number): Promise<LatencyResult[]> {
  const storage = mkdtempSync(join(tmpdir(), 'stepflow-bench-list-'));
  const results: LatencyResult[] = [];
  try {
    const seeding = performance.now();
    await seed(storage, rows);
    console.log(`seeded ${rows.toLocaleString('en-US')} executions in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const server = await startBenchServer([], storage);
    try {
      for (const endpoint of ['/api/health', '/api/executions?limit=10', '/api/executions/statistics']) {
        const times = await measure(server.url + endpoint, requests);
        results.push({ endpoint, rows, median: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length });
      }
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
  printTable(`Sequential request latency, ${rows.toLocaleString('en-US')} executions stored, ${requests} requests each (target: list median < 5 ms)`, results.map((r) => ({ endpoint: r.endpoint, 'median ms': r.median, 'p99 ms': r.p99, 'mean ms': r.mean })));
  return results;
}
