// Scenario 8: one execution per marker kind printing 100,000 such lines; lines/s beside plain lines, and /api/health p99 meanwhile.
import { resolve } from 'node:path';
import { createExecution, getJson, waitUntilEnded } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import type { ScenarioServer } from '../lib/bench-target.js';
import { percentile, printTable } from '../lib/stats.js';

const SCRIPT = resolve(import.meta.dirname, '../fixtures/marker-lines.mjs');
const KINDS = ['plain', 'steps', 'meta', 'meta_keys', 'mask', 'artifact', 'step_error'] as const;
type Kind = (typeof KINDS)[number];
/** The health sampler stops after this long or this many requests, whatever the execution does. */
const SAMPLER_MS = 30_000;
const SAMPLER_REQUESTS = 100_000;
// Per engine-limits.ts: 1,000 announced artifacts, each reported missing at the end; past a bound, one warning line.
const ARTIFACTS = 1_000;

/** Lines an execution of `count` lines of `kind` stores: its own plus StepFlow's warning lines. */
function expectedLines(kind: Kind, count: number): number {
  if (kind === 'step_error') return 2 * count;
  if (kind === 'artifact') return count + (count > ARTIFACTS ? 1 : 0) + Math.min(count, ARTIFACTS);
  if (kind === 'steps') return count + (count / 2 > 1_000 ? 1 : 0);
  if (kind === 'mask') return count + (count > 1_000 ? 1 : 0);
  if (kind === 'meta_keys') return count + (count > 100 ? 1 : 0);
  return count;
}

/** Figures of one kind (medians over the rounds); CPU is null against a foreign server. */
export interface MarkerKindResult {
  kind: Kind;
  lines: number;
  stored: number;
  complete: boolean;
  seconds: number;
  linesPerSecond: number;
  /** lines/s of this kind over lines/s of plain lines in the same run. */
  ratioToPlain: number;
  cpuSeconds: number | null;
  health: { requests: number; p50Ms: number; p99Ms: number };
}

/** GETs /api/health one request at a time until `stop` resolves (or the bounds), returning each latency in ms. */
async function sampleHealth(url: string, stop: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const deadline = performance.now() + SAMPLER_MS;
  while (!stopped && latencies.length < SAMPLER_REQUESTS && performance.now() < deadline) {
    const started = performance.now();
    const response = await fetch(`${url}/api/health`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
  }
  return latencies;
}

async function runKind(
  context: BenchContext,
  server: ScenarioServer,
  kind: Kind,
  count: number,
): Promise<Omit<MarkerKindResult, 'ratioToPlain'>> {
  const cpuBefore = server.process?.cpuSeconds() ?? 0;
  const started = performance.now();
  const id = await createExecution(server.url, {
    name: `markers ${kind}`,
    command: [process.execPath, SCRIPT, kind, String(count)],
  });
  const ended = waitUntilEnded(server.url, id, 120_000, 50);
  const latencies = await sampleHealth(
    server.url,
    ended.catch(() => undefined),
  );
  const execution = await ended;
  const seconds = (performance.now() - started) / 1000;
  const page = await getJson<{ total_lines: number }>(server.url, `/api/executions/${id}/logs?limit=1`);
  const expected = expectedLines(kind, count);
  const complete = execution.status === 'completed' && page.total_lines === expected;
  if (!complete)
    noteFailure(
      context,
      `marker kinds: ${kind} ended ${execution.status} with ${page.total_lines} stored lines, expected ${expected}`,
    );
  const cpuSeconds = server.process ? server.process.cpuSeconds() - cpuBefore : null;
  const health = { requests: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
  return {
    kind,
    lines: count,
    stored: page.total_lines,
    complete,
    seconds,
    linesPerSecond: count / seconds,
    cpuSeconds,
    health,
  };
}

function medianOf(runs: ReadonlyArray<Omit<MarkerKindResult, 'ratioToPlain'>>, plain: number): MarkerKindResult {
  const median = (pick: (run: Omit<MarkerKindResult, 'ratioToPlain'>) => number): number =>
    percentile(runs.map(pick), 50);
  const first = runs[0]!;
  const linesPerSecond = median((r) => r.linesPerSecond);
  return {
    kind: first.kind,
    lines: first.lines,
    stored: first.stored,
    complete: runs.every((r) => r.complete),
    seconds: median((r) => r.seconds),
    linesPerSecond,
    ratioToPlain: linesPerSecond / plain,
    cpuSeconds: first.cpuSeconds === null ? null : median((r) => r.cpuSeconds!),
    health: {
      requests: median((r) => r.health.requests),
      p50Ms: median((r) => r.health.p50Ms),
      p99Ms: median((r) => r.health.p99Ms),
    },
  };
}

/** Runs every kind a few times on one fresh server (kinds interleaved, so drift hits them alike) and prints medians. */
export async function benchMarkerKinds(context: BenchContext): Promise<MarkerKindResult[]> {
  const count = context.quick ? 5_000 : 100_000;
  const rounds = context.quick ? 1 : 3;
  const server = await context.target.open('8 marker kinds');
  const runs = new Map<Kind, Array<Omit<MarkerKindResult, 'ratioToPlain'>>>(KINDS.map((kind) => [kind, []]));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kind of KINDS) runs.get(kind)!.push(await runKind(context, server, kind, count));
    }
  } finally {
    await server.stop();
  }
  const plain = percentile(
    runs.get('plain')!.map((r) => r.linesPerSecond),
    50,
  );
  const results = KINDS.map((kind) => medianOf(runs.get(kind)!, plain));
  const na = 'n/a for --target';
  printTable(
    `8. Marker kinds: ${count.toLocaleString('en-US')} lines of each kind, ${rounds} round(s) on one server, median; /api/health sampled one request at a time meanwhile (target: p99 < 50 ms)`,
    results.map((r) => ({
      kind: r.kind,
      'lines stored': `${r.stored.toLocaleString('en-US')}${r.complete ? ' (checked)' : ' (WRONG)'}`,
      s: r.seconds,
      'lines/s': Math.round(r.linesPerSecond),
      'vs plain': r.ratioToPlain,
      'server CPU s': r.cpuSeconds ?? na,
      'health requests': r.health.requests,
      'health p50 ms': r.health.p50Ms,
      'health p99 ms': r.health.p99Ms,
    })),
  );
  return results;
}
