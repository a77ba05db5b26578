// Owns writing a run to bench/results/ (ignored by git): <date>.json, <date>.md and the SVG plots beside them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './bench-results.js';
import { renderLineChart, type ChartSeries } from './render-line-chart.js';
import { renderMarkdownReport } from './render-markdown-report.js';

function latencyCdf(results: BenchResults): string | null {
  const api = results.scenarios.apiResponse ?? [];
  if (api.length === 0) return null;
  const series: ChartSeries[] = api.map((r) => ({
    name: `${r.endpoint}, ${Number.isFinite(r.rows) ? r.rows.toLocaleString('en-US') : '?'} rows (${Math.round(r.load.requestsPerSecond).toLocaleString('en-US')} req/s)`,
    points: r.load.latency.cdf.map((ms, p) => [ms, p] as const),
  }));
  const c = api[0]!.load;
  return renderLineChart({
    title: `Scenario 1 under load: latency CDF, ${c.connections} connections x ${c.seconds} s`,
    xLabel: 'round-trip latency (ms, log scale)',
    yLabel: 'percentile',
    series,
    logX: true,
  });
}

function throughputOverTime(results: BenchResults): string | null {
  const stress = results.scenarios.mixedStress;
  if (!stress) return null;
  const series: ChartSeries[] = [
    {
      name: `mixed 60/40, ${stress.connections} in flight (mean ${Math.round(stress.opsPerSecond).toLocaleString('en-US')} ops/s)`,
      points: stress.perSecond.map((n, s) => [s + 1, n] as const),
    },
  ];
  return renderLineChart({
    title: `Scenario 3: mixed stress throughput per second, ${stress.seconds} s`,
    xLabel: 'second of the run',
    yLabel: 'operations completed',
    series,
  });
}

/** Writes the JSON, the plots and the Markdown report into `dir`; returns the paths written. */
export function writeResults(dir: string, results: BenchResults, terminal: string): string[] {
  mkdirSync(dir, { recursive: true });
  // The date-time in the name, colons dropped so the name is valid everywhere.
  const stem = `${results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}${results.quick ? '-quick' : ''}`;
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    writeFileSync(join(dir, name), text);
    written.push(join(dir, name));
  };
  write(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const plots: Array<{ file: string; caption: string }> = [];
  for (const [suffix, svg, caption] of [
    ['latency-cdf', latencyCdf(results), 'Latency distribution (CDF) of scenario 1 under load'],
    ['mixed-throughput', throughputOverTime(results), 'Throughput over time of scenario 3 (mixed stress)'],
  ] as const) {
    if (svg === null) continue;
    write(`${stem}-${suffix}.svg`, svg);
    plots.push({ file: `${stem}-${suffix}.svg`, caption });
  }
  write(`${stem}.md`, renderMarkdownReport(results, plots, terminal));
  return written;
}
