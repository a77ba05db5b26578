// Owns the side-by-side of this run's figures and the old tool's published ones, with ratios (> 1 means StepFlow does better).
import type { BenchResults } from './bench-results.js';
import { SEED } from './seed-figures.js';

/** One compared figure. */
export interface ComparisonRow {
  figure: string;
  old: string;
  ours: string;
  ratio: string;
}

const fmt = (v: number, digits = 2): string => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(digits));

/** `lower` is true for figures where less is better (times, bytes, MB). */
function compare(
  figure: string,
  old: number | null,
  ours: number | null | undefined,
  unit: string,
  lower: boolean,
): ComparisonRow {
  const oursText = ours === null || ours === undefined || Number.isNaN(ours) ? 'n/a' : `${fmt(ours)} ${unit}`;
  const oldText = old === null ? 'not published' : `${fmt(old)} ${unit}`;
  const ratio =
    old === null || ours === null || ours === undefined || Number.isNaN(ours) || ours === 0 || old === 0
      ? '—'
      : `${(lower ? old / ours : ours / old).toFixed(2)}×`;
  return { figure, old: oldText, ours: oursText, ratio };
}

function apiRows(results: BenchResults): ComparisonRow[] {
  // The old tool measured with whatever it had stored; our nearest like-for-like is 1,000 rows (or the only row count measured).
  const pick = (endpoint: string) => {
    const rows = (results.scenarios.apiResponse ?? []).filter((r) => r.endpoint === endpoint);
    return rows.find((r) => r.rows === 1000) ?? rows[0];
  };
  const out: ComparisonRow[] = [];
  for (const [endpoint, seed] of [
    ['/api/health', SEED.health],
    ['/api/executions?limit=10', SEED.list],
  ] as const) {
    const r = pick(endpoint);
    for (const key of ['avg', 'median', 'min', 'max'] as const)
      out.push(
        compare(
          `${endpoint} ${key}, 10 sequential${r ? ` (${r.rows.toLocaleString('en-US')} rows)` : ''}`,
          seed[key],
          r?.sequential[key],
          'ms',
          true,
        ),
      );
  }
  return out;
}

/** Builds the comparison table for the Markdown report. */
export function compareWithSeed(results: BenchResults): ComparisonRow[] {
  const s = results.scenarios;
  const burst = (n: number) => s.creations?.find((r) => r.burst === n);
  const rw = s.realWorld;
  return [
    ...apiRows(results),
    compare(
      '20 concurrent creations: time until all accepted',
      SEED.creations[20]!.seconds,
      burst(20)?.acceptSeconds,
      's',
      true,
    ),
    {
      figure: '100 concurrent creations: accepted',
      old: '0 / 100',
      ours: burst(100) ? `${burst(100)!.accepted} / 100` : 'n/a',
      ratio: '—',
    },
    compare('mixed stress 30 s: operations/s', SEED.stress.opsPerSecond, s.mixedStress?.opsPerSecond, 'ops/s', false),
    compare('mixed stress: errors', SEED.stress.errors, s.mixedStress?.errors, '', true),
    {
      figure: 'real world: executions verified',
      old: `${SEED.realWorld.successful} / ${SEED.realWorld.executions}`,
      ours: rw ? `${rw.verified} / ${rw.executions}` : 'n/a',
      ratio: '—',
    },
    compare(
      'real world: average execution duration',
      SEED.realWorld.avgDurationSeconds,
      rw?.medianExecutionSeconds,
      's (ours: median)',
      true,
    ),
    compare(
      'real world: storage per execution (database files)',
      SEED.realWorld.storageBytesPerExecution,
      rw?.storage?.databasePerExecution,
      'B',
      true,
    ),
    compare('server memory idle (old: startup baseline)', SEED.memory.idleMb, s.memory?.idleRssMb, 'MB', true),
    compare('server memory peak', SEED.memory.peakMb, s.memory?.peakMb, 'MB', true),
    compare(
      'WebSocket message latency, p50 at 100 clients (old: "<1 ms" claimed, no load stated)',
      SEED.websocket.latencyMs,
      s.fanout?.find((r) => r.clients === 100)?.p50Ms,
      'ms',
      true,
    ),
  ];
}
