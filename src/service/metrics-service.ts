// Owns the Prometheus metrics: a private registry fed from bus events, live counts and HTTP timings.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus, StepflowEvent } from '../bus/event-bus.js';
import { TERMINAL_STATUSES, type ExecutionRecord } from '../core/execution.js';

/** What the metrics are read from; app.ts supplies them. */
export interface MetricsDeps {
  bus: EventBus;
  /** Running and queued executions right now. */
  counts: () => { running: number; queued: number };
  /** Connected WebSocket clients; when absent the gauge stays 0. */
  connectedClients?: (() => number) | undefined;
  /** Adds prom-client's process and Node.js metrics (default true). */
  processMetrics?: boolean;
}

/** Records metrics and renders them in the Prometheus text format. */
export interface MetricsService {
  /** Records one answered HTTP request; `route` must be the route pattern, never the raw URL. */
  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** The exposition text of every metric. */
  render(): Promise<string>;
  /** The Content-Type of `render()`'s text. */
  readonly contentType: string;
  /** Stops listening to the bus. */
  stop(): void;
}

// From a 100 ms script to the hour-long jobs StepFlow is built for.
const EXECUTION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function createExecutionMetrics(registry: Registry) {
  const registers = [registry];
  return {
    started: new Counter({
      name: 'stepflow_executions_started_total',
      help: 'Executions whose process was started.',
      registers,
    }),
    finished: new Counter({
      name: 'stepflow_executions_finished_total',
      help: 'Executions that ended, by final status.',
      labelNames: ['status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'stepflow_execution_duration_seconds',
      help: 'Run time of executions that started, from start to end, by final status.',
      labelNames: ['status'] as const,
      buckets: EXECUTION_BUCKETS,
      registers,
    }),
    logLines: new Counter({ name: 'stepflow_log_lines_total', help: 'Script output lines stored.', registers }),
  };
}

function recordCompletion(metrics: ReturnType<typeof createExecutionMetrics>, execution: ExecutionRecord): void {
  metrics.finished.inc({ status: execution.status });
  // An execution cancelled while still queued never ran, so it has no run time to observe.
  if (execution.started_at !== null && execution.completed_at !== null) {
    metrics.duration.observe(
      { status: execution.status },
      Math.max(0, execution.completed_at - execution.started_at) / 1000,
    );
  }
}

function registerLiveGauges(registry: Registry, deps: MetricsDeps): void {
  const registers = [registry];
  new Gauge({
    name: 'stepflow_executions_running',
    help: 'Executions running now.',
    registers,
    collect() {
      this.set(deps.counts().running);
    },
  });
  new Gauge({
    name: 'stepflow_executions_queued',
    help: 'Executions waiting for a free slot now.',
    registers,
    collect() {
      this.set(deps.counts().queued);
    },
  });
  new Gauge({
    name: 'stepflow_websocket_clients',
    help: 'WebSocket clients connected now.',
    registers,
    collect() {
      this.set(deps.connectedClients?.() ?? 0);
    },
  });
}

/** Creates the metrics with their own registry, so many apps can live in one process (tests). */
export function createMetricsService(deps: MetricsDeps): MetricsService {
  const registry = new Registry();
  if (deps.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const executions = createExecutionMetrics(registry);
  // Zero-valued series from the start, so rate() and dashboards see every status before its first occurrence.
  for (const status of TERMINAL_STATUSES) executions.finished.inc({ status }, 0);
  registerLiveGauges(registry, deps);
  const http = new Histogram({
    name: 'stepflow_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });

  const unsubscribe = deps.bus.subscribe((event: StepflowEvent) => {
    if (event.type === 'execution_started') executions.started.inc();
    else if (event.type === 'execution_completed') recordCompletion(executions, event.execution);
    else if (event.type === 'log_lines') executions.logLines.inc(event.lines.length);
  });

  return {
    observeHttpRequest(method, route, statusCode, seconds) {
      http.observe({ method, route, status_code: String(statusCode) }, seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
    stop: unsubscribe,
  };
}
