// Unit tests of the Prometheus metrics: bus events to counters and histograms, live gauges, private registries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventBus } from '../bus/event-bus.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { LogLine } from '../core/log-line.js';
import { createMetricsService } from './metrics-service.js';

function record(patch: Partial<ExecutionRecord>): ExecutionRecord {
  return { id: 1, status: 'completed', started_at: 1_000, completed_at: 3_500, ...patch } as ExecutionRecord;
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('createMetricsService', () => {
  it('counts starts, ends by status, run time and log lines from bus events', async () => {
    const bus = createEventBus();
    const metrics = createMetricsService({
      bus,
      counts: () => ({ running: 2, queued: 5 }),
      connectedClients: () => 7,
      processMetrics: false,
    });
    bus.publish({ type: 'execution_started', execution: record({ status: 'running' }) });
    bus.publish({ type: 'log_lines', execution_id: 1, lines: [{}, {}, {}] as unknown as LogLine[] });
    bus.publish({ type: 'execution_completed', execution: record({}), artifacts_count: 0 });
    bus.publish({
      type: 'execution_completed',
      execution: record({ status: 'cancelled', started_at: null }),
      artifacts_count: 0,
    });
    const text = await metrics.render();
    assert.equal(value(text, 'stepflow_executions_started_total'), 1);
    assert.equal(value(text, 'stepflow_log_lines_total'), 3);
    assert.equal(value(text, 'stepflow_executions_finished_total{status="completed"}'), 1);
    assert.equal(value(text, 'stepflow_executions_finished_total{status="cancelled"}'), 1);
    assert.equal(value(text, 'stepflow_execution_duration_seconds_sum{status="completed"}'), 2.5);
    assert.equal(
      value(text, 'stepflow_execution_duration_seconds_count{status="cancelled"}'),
      undefined,
      'never ran, so no run time',
    );
    assert.equal(value(text, 'stepflow_executions_running'), 2);
    assert.equal(value(text, 'stepflow_executions_queued'), 5);
    assert.equal(value(text, 'stepflow_websocket_clients'), 7);
    metrics.stop();
    assert.equal(bus.listenerCount(), 0);
  });

  it('keeps separate registries so two services in one process do not collide', async () => {
    const bus = createEventBus();
    const first = createMetricsService({ bus, counts: () => ({ running: 0, queued: 0 }) });
    const second = createMetricsService({ bus, counts: () => ({ running: 0, queued: 0 }) });
    first.observeHttpRequest('GET', '/api/executions/:id', 200, 0.01);
    assert.match(await first.render(), /route="\/api\/executions\/:id"/);
    assert.doesNotMatch(await second.render(), /route="\/api\/executions\/:id"/);
    assert.match(await second.render(), /^process_cpu_user_seconds_total /m);
    first.stop();
    second.stop();
  });
});
