// `npm run bench -- --database postgres`: SQLite and PostgreSQL side by side in one run — ingest, list at 100,000 rows, get, logs page, mixed stress — then live latency across two servers.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LogLine } from '../src/core/log-line.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/create-test-database.js';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.js';
import { runCrossServerLatency } from './cross-server-latency.js';
import { createExecution, getJson, waitUntilEnded } from './lib/api.js';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';
import { runLoad, type LoadRequest } from './lib/run-load.js';
import { seedExecutions } from './lib/seed-executions.js';
import { seedPostgresExecutions } from './lib/seed-postgres-executions.js';
import { printTable, summarizeLatencies } from './lib/stats.js';

type Backend = 'sqlite' | 'postgres';

/** Sizes of one comparison run; `quick` scales every one down. */
interface Sizes {
  storeLines: number;
  serverLines: number;
  rows: number;
  requests: number;
  stressSeconds: number;
  stressConnections: number;
}

/** The figures of one backend. */
export interface BackendFigures {
  storeLinesPerSecond: number;
  serverLinesPerSecond: number;
  serverLinesComplete: boolean;
  seedSeconds: number;
  list: { p50: number; p99: number };
  get: { p50: number; p99: number };
  logsPage: { p50: number; p99: number };
  stress: { opsPerSecond: number; errors: number; p50: number; p99: number };
}

const BATCH = 1_000;

/** Appends `count` lines in batches of 1,000 (the log writer's default batch) straight into the store; lines/s. */
async function measureStoreIngest(store: Store, count: number): Promise<number> {
  const { id } = await store.createExecution(
    {
      name: 'ingest',
      command: 'seq',
      working_directory: '/tmp',
      environment: {},
      tags: [],
      metadata: {},
      user: null,
      timeout_seconds: null,
      runs_on: [],
    },
    Date.now(),
  );
  const started = performance.now();
  for (let from = 1; from <= count; from += BATCH) {
    const lines: LogLine[] = [];
    for (let line = from; line < from + BATCH && line <= count; line++)
      lines.push({
        line,
        ts: Date.now(),
        stream: 'stdout',
        step_index: 0,
        content: `line ${line} of the benchmark log`,
      });
    await store.appendLogLines(id, lines);
  }
  return count / ((performance.now() - started) / 1000);
}

/** Sequential GETs of one path; p50 and p99 in ms. */
async function measureSequential(
  url: string,
  paths: readonly string[],
  requests: number,
): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(url + paths[i % paths.length]!);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET ${paths[i % paths.length]}: ${response.status}`);
    latencies.push(performance.now() - started);
  }
  const summary = summarizeLatencies(latencies);
  return { p50: summary.median, p99: summary.p99 };
}

function stressMix(logId: number, seededIds: readonly number[]): LoadRequest[] {
  return Array.from({ length: 100 }, (_, turn) => {
    const slot = turn % 10;
    if (slot < 2) return { kind: 'list', method: 'GET', path: '/api/executions?limit=10' };
    if (slot < 4) return { kind: 'get', method: 'GET', path: `/api/executions/${seededIds[turn % seededIds.length]!}` };
    if (slot < 6)
      return {
        kind: 'logs page',
        method: 'GET',
        path: `/api/executions/${logId}/logs?offset=${(turn * 997) % 10_000}&limit=100`,
      };
    return { kind: 'create', method: 'POST', path: '/api/executions', body: '{"name":"stress","command":"true"}' };
  });
}

/** Opens the backend's store on fresh storage, seeds it, and starts a server process on it. */
async function prepare(
  backend: Backend,
  storage: string,
  database: TestDatabase | null,
  sizes: Sizes,
): Promise<{ storeRate: number; seedSeconds: number; server: BenchServer }> {
  const store =
    backend === 'sqlite'
      ? await openSqliteStore({ storagePath: storage, cacheSizeKib: 65536, walAutocheckpoint: 1000 })
      : await openPostgresStore({ url: database!.url, poolSize: 10 });
  const storeRate = await measureStoreIngest(store, sizes.storeLines);
  await store.close();
  const seedSeconds =
    backend === 'sqlite'
      ? await seedExecutions(storage, 0, sizes.rows)
      : await seedPostgresExecutions(database!.url, sizes.rows);
  const flags = ['--max-queued', '1000000', ...(backend === 'postgres' ? ['--database-url', database!.url] : [])];
  return { storeRate, seedSeconds, server: await startBenchServer(flags, storage) };
}

async function measureBackend(
  backend: Backend,
  storage: string,
  database: TestDatabase | null,
  sizes: Sizes,
): Promise<BackendFigures> {
  const { storeRate, seedSeconds, server } = await prepare(backend, storage, database, sizes);
  try {
    const started = performance.now();
    const logId = await createExecution(server.url, { name: 'ingest', command: `seq 1 ${sizes.serverLines}` });
    const ended = await waitUntilEnded(server.url, logId, 300_000, 20);
    const serverRate = sizes.serverLines / ((performance.now() - started) / 1000);
    const last = await getJson<{ total_lines: number; lines: Array<{ content: string }> }>(
      server.url,
      `/api/executions/${logId}/logs?offset=${sizes.serverLines - 1}&limit=1`,
    );
    const complete =
      ended.status === 'completed' &&
      last.total_lines === sizes.serverLines &&
      last.lines[0]?.content === String(sizes.serverLines);
    const seededIds = [2, Math.floor(sizes.rows / 2), sizes.rows - 1];
    const list = await measureSequential(server.url, ['/api/executions?limit=10'], sizes.requests);
    const get = await measureSequential(
      server.url,
      seededIds.map((id) => `/api/executions/${id}`),
      sizes.requests,
    );
    const logsPage = await measureSequential(
      server.url,
      Array.from({ length: 10 }, (_, i) => `/api/executions/${logId}/logs?offset=${i * 1_000}&limit=100`),
      sizes.requests,
    );
    const load = await runLoad(server.url, sizes.stressConnections, sizes.stressSeconds, stressMix(logId, seededIds));
    const latency = summarizeLatencies(load.latenciesMs);
    return {
      storeLinesPerSecond: storeRate,
      serverLinesPerSecond: serverRate,
      serverLinesComplete: complete,
      seedSeconds,
      list,
      get,
      logsPage,
      stress: {
        opsPerSecond: load.latenciesMs.length / sizes.stressSeconds,
        errors: load.errors,
        p50: latency.median,
        p99: latency.p99,
      },
    };
  } finally {
    await server.stop();
  }
}

function printComparison(sizes: Sizes, sqlite: BackendFigures, postgres: BackendFigures): void {
  const ratio = (pg: number, lite: number): string => (lite === 0 ? '-' : `${(pg / lite).toFixed(2)}x`);
  const row = (figure: string, pick: (f: BackendFigures) => number) => ({
    figure,
    sqlite: pick(sqlite),
    postgres: pick(postgres),
    'postgres / sqlite': ratio(pick(postgres), pick(sqlite)),
  });
  printTable(
    `Database comparison, same run: ${sizes.rows.toLocaleString('en-US')} seeded executions, ${sizes.requests} sequential requests per figure, mixed stress ${sizes.stressConnections} connections x ${sizes.stressSeconds} s (target: >= 150,000 lines/s into PostgreSQL)`,
    [
      row(`store ingest lines/s (${sizes.storeLines.toLocaleString('en-US')} lines, batches of ${BATCH})`, (f) =>
        Math.round(f.storeLinesPerSecond),
      ),
      row(`server ingest lines/s (seq 1 ${sizes.serverLines.toLocaleString('en-US')}, until completed)`, (f) =>
        Math.round(f.serverLinesPerSecond),
      ),
      row('list ?limit=10 p50 ms', (f) => f.list.p50),
      row('list ?limit=10 p99 ms', (f) => f.list.p99),
      row('get p50 ms', (f) => f.get.p50),
      row('get p99 ms', (f) => f.get.p99),
      row('logs page of 100 p50 ms', (f) => f.logsPage.p50),
      row('logs page of 100 p99 ms', (f) => f.logsPage.p99),
      row('mixed stress ops/s', (f) => Math.round(f.stress.opsPerSecond)),
      row('mixed stress p99 ms', (f) => f.stress.p99),
      row('mixed stress errors', (f) => f.stress.errors),
      row('seeding s (not a product figure)', (f) => f.seedSeconds),
    ],
  );
}

/** Runs the comparison; returns the number of correctness failures (lines missing, stress errors). */
export async function runDatabaseComparison(quick: boolean, storageRoot: string): Promise<number> {
  const sizes: Sizes = quick
    ? { storeLines: 50_000, serverLines: 50_000, rows: 1_000, requests: 50, stressSeconds: 2, stressConnections: 10 }
    : {
        storeLines: 1_000_000,
        serverLines: 1_000_000,
        rows: 100_000,
        requests: 300,
        stressSeconds: 10,
        stressConnections: 20,
      };
  const database = await createTestDatabase('bench');
  if ('skip' in database) throw new Error(`--database postgres needs PostgreSQL: ${database.skip}`);
  try {
    const sqlite = await measureBackend('sqlite', resolve(storageRoot, 'sqlite'), null, sizes);
    const postgres = await measureBackend('postgres', resolve(storageRoot, 'postgres'), database, sizes);
    printComparison(sizes, sqlite, postgres);
    const crossServer = await runCrossServerLatency(quick);
    const failures = [sqlite, postgres].flatMap((f, i) => [
      ...(f.serverLinesComplete ? [] : [`${i === 0 ? 'sqlite' : 'postgres'}: server ingest incomplete`]),
      ...(f.stress.errors > 0 ? [`${i === 0 ? 'sqlite' : 'postgres'}: ${f.stress.errors} stress errors`] : []),
    ]);
    if (!crossServer.complete) failures.push('cross-server: a subscriber missed lines');
    for (const failure of failures) console.log(`FAILED: ${failure}`);
    if (!quick) {
      const dir = resolve(import.meta.dirname, 'results');
      mkdirSync(dir, { recursive: true });
      const file = resolve(
        dir,
        `${new Date()
          .toISOString()
          .replace(/:/g, '-')
          .replace(/\.\d+Z$/, 'Z')}-database.json`,
      );
      writeFileSync(file, `${JSON.stringify({ sizes, sqlite, postgres, crossServer }, null, 2)}\n`);
      console.log(`\nwrote ${file}`);
    }
    return failures.length;
  } finally {
    await database.drop();
    rmSync(storageRoot, { recursive: true, force: true });
  }
}
