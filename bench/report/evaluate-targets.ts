// Owns the targets for StepFlow and where one run stands against each.
import type { BenchResults } from './bench-results.js';

/** One target and this run's figure. */
export interface TargetRow {
  target: string;
  value: string;
  status: 'met' | 'MISSED' | 'not measured';
}

function row(target: string, value: number | null | undefined, unit: string, met: (v: number) => boolean): TargetRow {
  if (value === null || value === undefined || Number.isNaN(value))
    return { target, value: 'n/a', status: 'not measured' };
  const text = Number.isFinite(value)
    ? `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2)} ${unit}`
    : 'incomplete (not all accepted or delivered)';
  return { target, value: text, status: met(value) ? 'met' : 'MISSED' };
}

/** Evaluates every target the issue sets; a target whose scenario did not run (or is n/a for --target) is "not measured". */
export function evaluateTargets(results: BenchResults): TargetRow[] {
  const s = results.scenarios;
  const maxRows = Math.max(...(s.apiResponse ?? []).map((r) => r.rows).filter(Number.isFinite), 0);
  const at = (endpoint: string, rows: number): number | undefined =>
    s.apiResponse?.find((r) => r.endpoint === endpoint && r.rows === rows)?.load.requestsPerSecond;
  const thousand = s.creations?.find((r) => r.burst === 1000);
  const million = s.ingest?.['inside one step'];
  const fan = s.fanout?.find((r) => r.clients === 1000);
  const markers = s.markerKinds?.filter((r) => r.lines >= 100_000);
  return [
    row('/api/health >= 15,000 req/s (50 connections)', at('/api/health', maxRows), 'req/s', (v) => v >= 15_000),
    row(
      `/api/executions?limit=10 at 100,000 rows >= 8,000 req/s (measured at ${maxRows.toLocaleString('en-US')} rows)`,
      maxRows === 100_000 ? at('/api/executions?limit=10', maxRows) : null,
      'req/s',
      (v) => v >= 8_000,
    ),
    row(
      '1,000 concurrent creations all accepted in < 2 s',
      thousand ? (thousand.accepted === 1000 ? thousand.acceptSeconds : Number.POSITIVE_INFINITY) : null,
      's',
      (v) => v < 2,
    ),
    row(
      'mixed stress >= 10,000 ops/s with zero errors',
      s.mixedStress ? (s.mixedStress.errors === 0 ? s.mixedStress.opsPerSecond : 0) : null,
      'ops/s',
      (v) => v >= 10_000,
    ),
    row(
      '1,000,000 lines stored in < 6 s',
      million && million.lines >= 1_000_000 && million.complete ? million.seconds : null,
      's',
      (v) => v < 6,
    ),
    row(
      '1,000 WebSocket clients, all lines, p99 < 250 ms',
      fan ? (fan.completeClients === fan.clients ? fan.p99Ms : Number.POSITIVE_INFINITY) : null,
      'ms p99',
      (v) => v < 250,
    ),
    row('server RSS idle < 80 MB', s.memory?.idleRssMb, 'MB', (v) => v < 80),
    row('server RSS peak < 300 MB (scenarios 2-6)', s.memory?.peakMb, 'MB', (v) => v < 300),
    row(
      '< 2 KB database per real-world execution excluding log text',
      s.realWorld?.storage?.databasePerExecutionExcludingLogText,
      'B',
      (v) => v < 2048,
    ),
    row(
      '/api/health p99 < 50 ms while any marker kind runs (worst kind)',
      markers && markers.length > 0 ? Math.max(...markers.map((r) => r.health.p99Ms)) : null,
      'ms p99',
      (v) => v < 50,
    ),
  ];
}
