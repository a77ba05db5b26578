// Health and metrics routes against a real server: checked health, 503 on broken storage, real figures, optimize, Prometheus text.
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, waitUntil, type TestServer } from './harness.js';

type Json = Record<string, unknown>;

async function data(server: TestServer, method: string, path: string): Promise<Json> {
  const response = await server.request<Json>(method, path);
  assert.equal(response.status, 200, `${method} ${path}: ${JSON.stringify(response.body)}`);
  assert.equal(response.body.success, true);
  assert.equal(response.body.error, null);
  return response.body.data!;
}

async function metricsText(server: TestServer): Promise<string> {
  const response = await fetch(`${server.url}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  return response.text();
}

/** The value of one sample line, e.g. `stepflow_executions_finished_total{status="failed"}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('health routes', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('answers 200 with the database, storage and websocket parts checked', async () => {
    const report = await data(server, 'GET', '/api/health');
    assert.equal(report.status, 'healthy');
    for (const field of ['timestamp', 'version', 'uptime_seconds', 'database', 'storage', 'websocket'])
      assert.ok(field in report, `health has ${field}`);
    assert.equal((report.database as Json).status, 'ok');
    const storage = report.storage as Json;
    assert.equal(storage.status, 'ok');
    assert.equal(storage.path, server.storage);
    assert.ok((storage.free_bytes as number) >= (storage.min_free_bytes as number));
    assert.ok((storage.total_bytes as number) >= (storage.free_bytes as number));
    assert.ok(['ok', 'disabled'].includes((report.websocket as Json).status as string));
  });

  it('reports the contract status figures at /api/health/status and /health/status, CPU sampled in the background', async () => {
    const status = await waitUntil('the first CPU sample', async () => {
      const figures = await data(server, 'GET', '/api/health/status');
      return (figures.system as Json).cpu_percent !== null ? figures : undefined;
    });
    const system = status.system as Json;
    assert.deepEqual(Object.keys(system).sort(), [
      'cpu_percent',
      'disk_usage_percent',
      'load_average',
      'memory_percent',
    ]);
    assert.equal(typeof system.cpu_percent, 'number');
    assert.ok((system.memory_percent as number) > 0 && (system.memory_percent as number) <= 100);
    assert.ok((system.disk_usage_percent as number) >= 0 && (system.disk_usage_percent as number) <= 100);
    assert.equal((system.load_average as number[]).length, 3);
    assert.deepEqual(status.database, {
      status: 'ok',
      size_mb: (status.database as Json).size_mb,
      wal_mode: true,
      cache_hit_ratio: null,
      wal_mb: (status.database as Json).wal_mb,
      warnings: [],
    });
    assert.ok(((status.database as Json).size_mb as number) > 0);
    assert.deepEqual(Object.keys(status.websocket as Json).sort(), ['connected_clients', 'status', 'total_messages']);
    const legacy = await data(server, 'GET', '/health/status');
    assert.deepEqual(Object.keys(legacy).sort(), ['database', 'system', 'websocket']);
  });

  it('counts new executions, steps and log lines in /health/database and /health/metrics', async () => {
    const databaseBefore = await data(server, 'GET', '/api/health/database');
    const metricsBefore = await data(server, 'GET', '/health/metrics');
    const id = await server.create({ command: './print-lines.sh 20' });
    await server.waitForEnd(id);
    const databaseAfter = await data(server, 'GET', '/health/database');
    const metricsAfter = await data(server, 'GET', '/api/health/metrics');

    assert.equal(databaseAfter.total_executions, (databaseBefore.total_executions as number) + 1);
    assert.equal(
      (databaseAfter.by_status as Json).completed,
      ((databaseBefore.by_status as Json).completed as number) + 1,
    );
    assert.equal(databaseAfter.steps, (databaseBefore.steps as number) + 1);
    assert.equal(databaseAfter.log_lines, (databaseBefore.log_lines as number) + (await server.allLines(id)).length);
    assert.match(databaseAfter.newest_execution as string, /Z$/);
    assert.ok((databaseAfter.oldest_execution as string) <= (databaseAfter.newest_execution as string));
    assert.ok((databaseAfter.size_bytes as number) > 0);

    const tablesBefore = (metricsBefore.database as Json).tables as Json;
    const tablesAfter = (metricsAfter.database as Json).tables as Json;
    assert.equal(tablesAfter.executions, (tablesBefore.executions as number) + 1);
    assert.equal((metricsAfter.database as Json).journal_mode, 'wal');
    assert.ok(((metricsAfter.database as Json).cache_size_kib as number) > 0);
    assert.equal((metricsAfter.storage as Json).path, server.storage);
    assert.deepEqual(metricsAfter.executions, { running: 0, queued: 0 });
    assert.equal(typeof (metricsAfter.system as Json).memory_total_bytes, 'number');
    assert.equal(typeof metricsAfter.uptime_seconds, 'number');
  });

  it('optimizes the database on POST /api/health/optimize and /health/optimize', async () => {
    for (const path of ['/api/health/optimize', '/health/optimize']) {
      const result = await data(server, 'POST', path);
      assert.equal(result.status, 'optimization_completed');
      assert.deepEqual(result.operations_performed, ['pragma_optimize', 'analyze', 'wal_checkpoint_truncate']);
      const metrics = result.metrics as Json;
      assert.equal(metrics.wal_bytes_after, 0, 'the truncating checkpoint empties the WAL');
      assert.equal(typeof metrics.duration_ms, 'number');
    }
  });
});

describe('health when storage breaks', () => {
  let server: TestServer;
  let storage: string;
  before(async () => {
    storage = mkdtempSync(join(tmpdir(), 'stepflow-health-'));
    server = await startServer({}, storage);
  });
  after(async () => {
    await server.close();
    rmSync(storage, { recursive: true, force: true });
    rmSync(`${storage}.moved`, { recursive: true, force: true });
  });

  // Root ignores chmod, so the directory is moved aside (the open database follows its inode) and a file takes its place.
  it('answers 503 naming storage while the storage path is not a writable directory, and 200 once it is back', async () => {
    renameSync(storage, `${storage}.moved`);
    writeFileSync(storage, 'not a directory');
    try {
      const response = await server.request<Json>('GET', '/api/health');
      assert.equal(response.status, 503);
      const body = response.body as unknown as Json;
      assert.equal(body.success, false);
      assert.equal(body.code, 'unhealthy');
      assert.deepEqual(body.failing, ['storage']);
      assert.match(body.error as string, /^unhealthy: storage \(storage is not writable: .*ENOTDIR/);
      const report = body.data as Json;
      assert.equal(report.status, 'unhealthy');
      assert.equal((report.storage as Json).status, 'error');
      assert.equal((report.database as Json).status, 'ok');
    } finally {
      rmSync(storage);
      renameSync(`${storage}.moved`, storage);
    }
    assert.equal((await server.request('GET', '/api/health')).status, 200);
  });
});

describe('GET /metrics', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('names every StepFlow metric and the default process metrics', async () => {
    const text = await metricsText(server);
    for (const name of [
      'stepflow_executions_started_total',
      'stepflow_executions_finished_total',
      'stepflow_execution_duration_seconds',
      'stepflow_executions_running',
      'stepflow_executions_queued',
      'stepflow_log_lines_total',
      'stepflow_websocket_clients',
      'stepflow_http_request_duration_seconds',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), `${name} is exposed`);
    }
    assert.equal(
      sample(text, 'stepflow_executions_finished_total{status="failed"}'),
      0,
      'statuses exist before their first run',
    );
  });

  it('counts finished executions by status, their duration and every log line a script printed', async () => {
    const before = await metricsText(server);
    const completed = await server.create({ command: './print-lines.sh 250' });
    const failed = await server.create({ command: './exit-code.sh 3' });
    await server.waitForEnd(completed);
    await server.waitForEnd(failed);
    const printed = (await server.allLines(completed)).length + (await server.allLines(failed)).length;
    assert.equal(printed, 252 + 2, 'print-lines.sh 250 prints 252 lines with its markers, exit-code.sh 2');
    const after = await metricsText(server);
    const delta = (series: string): number => sample(after, series) - sample(before, series);
    assert.equal(delta('stepflow_executions_started_total'), 2);
    assert.equal(delta('stepflow_executions_finished_total{status="completed"}'), 1);
    assert.equal(delta('stepflow_executions_finished_total{status="failed"}'), 1);
    assert.equal(delta('stepflow_execution_duration_seconds_count{status="completed"}'), 1);
    assert.equal(delta('stepflow_execution_duration_seconds_bucket{le="3600",status="failed"}'), 1);
    assert.equal(delta('stepflow_log_lines_total'), printed);
    assert.equal(sample(after, 'stepflow_executions_running'), 0);
    assert.equal(sample(after, 'stepflow_websocket_clients'), 0);
  });

  it('labels HTTP timings with the route pattern, never the raw URL', async () => {
    const id = await server.create({ command: './exit-code.sh 0' });
    await server.waitForEnd(id);
    assert.equal((await server.request('GET', '/api/executions/999999')).status, 404);
    // A GET to an unknown path lands on the dashboard's catch-all `/*`; other methods match no route at all.
    assert.equal((await server.request('GET', `/api/no-such-route/${id}`)).status, 404);
    assert.equal((await server.request('DELETE', `/no/such/route/${id}`)).status, 404);
    const text = await metricsText(server);
    assert.match(
      text,
      /stepflow_http_request_duration_seconds_count\{method="GET",route="\/api\/executions\/:id",status_code="200"\} \d+/,
    );
    assert.match(
      text,
      /stepflow_http_request_duration_seconds_count\{method="GET",route="\/api\/executions\/:id",status_code="404"\} 1/,
    );
    assert.match(
      text,
      /stepflow_http_request_duration_seconds_count\{method="POST",route="\/api\/executions",status_code="201"\} 3/,
    );
    assert.match(text, /method="DELETE",route="unmatched",status_code="404"/);
    assert.doesNotMatch(
      text,
      new RegExp(`/api/executions/${id}\\b|/api/executions/999999|no-such-route|/no/such/route`),
    );
  });
});
