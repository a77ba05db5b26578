// Owns the Markdown report of one run: setup, the comparison with the old tool, the targets, the plots and the terminal tables.
import type { BenchResults } from './bench-results.js';
import { compareWithSeed } from './compare-with-seed.js';
import { evaluateTargets } from './evaluate-targets.js';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function describeLoadGenerator(workers: number | undefined): string {
  if (workers === undefined) return 'One Node process generates the HTTP load';
  return workers === 1
    ? 'One Node process (undici clients) generates the HTTP load'
    : `${workers} Node processes (undici clients) generate the HTTP load`;
}

/** Renders the report; `plots` are SVG file names beside it, `terminal` the tables as printed. */
export function renderMarkdownReport(
  results: BenchResults,
  plots: ReadonlyArray<{ file: string; caption: string }>,
  terminal: string,
): string {
  const m = results.machine;
  const mode = results.quick ? 'quick (scaled down; correctness only, figures are not comparable)' : 'full';
  return [
    `# StepFlow benchmark, ${results.startedAt}`,
    '',
    `- Mode: ${mode}; server: ${results.target ? `foreign, ${results.target}${results.wsUrl ? ` (live feed ${results.wsUrl})` : ''}` : 'started by the suite on temp storage (dist/cli.mjs)'}`,
    `- Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, load average at start ${m.loadAverageAtStart.map((v) => v.toFixed(2)).join(' / ')}; node ${results.node}`,
    `- ${describeLoadGenerator(results.loadWorkers)} on the same machine as the server, so both share ${m.cpus} cores: the figures are floors, not ceilings. Run time ${results.totalSeconds.toFixed(0)} s.`,
    `- Correctness: ${results.failures.length === 0 ? 'every check passed' : results.failures.map((f) => `FAILED ${f}`).join('; ')}`,
    '',
    '## Beside the old tool',
    '',
    results.target
      ? `The old tool's figures are its published ones (a MacBook Pro, Python 3.13, no script published); the other column is the server at ${results.target}, measured in this run on this machine. Ratio > 1 means that server does better.`
      : "The old tool's figures are its published ones (a MacBook Pro, Python 3.13, no script published); ours are from this run on this machine. Ratio > 1 means StepFlow does better.",
    '',
    table(
      [
        'figure',
        'old tool (published)',
        results.target ? 'measured server (this run)' : 'StepFlow (this run)',
        'ratio',
      ],
      compareWithSeed(results).map((r) => [r.figure, r.old, r.ours, r.ratio]),
    ),
    '',
    '## Targets',
    '',
    table(
      ['target', 'this run', 'status'],
      evaluateTargets(results).map((r) => [r.target, r.value, r.status]),
    ),
    '',
    '## Plots',
    '',
    ...plots.flatMap((p) => [`![${p.caption}](${p.file})`, '', `*${p.caption}*`, '']),
    '## Tables as printed',
    '',
    '```',
    terminal.trim(),
    '```',
    '',
  ].join('\n');
}
