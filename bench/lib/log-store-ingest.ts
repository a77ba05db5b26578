// Owns scenario 9's ingest: generated CI runs appended batch by batch into a log layout, timed with sealing counted.
import type { LogLine } from '../../src/core/log-line.js';
import { createCiLogGenerator } from './generate-ci-log.js';
import { openChunkLayout, openRowLayout, type LogLayout } from './log-layouts.js';
import { percentile } from './stats.js';

const BATCH = 1_000;
/** The rare text the search corpus holds in one run. */
export const RARE = 'ECONNRESET';

/** A run of `count` generated CI lines in batches of 1,000; `rareAt` puts a line with RARE there. */
export function* generateRun(seed: number, count: number, rareAt: number | null): Generator<LogLine[]> {
  const generator = createCiLogGenerator(seed);
  let batch: LogLine[] = [];
  for (let n = 1; n <= count; n++) {
    const content =
      n === rareAt
        ? `Error: read ${RARE} at TLSSocket.onStreamRead (node:internal/stream_base_commons:217:20)`
        : generator.next();
    batch.push({ line: n, ts: 1_764_500_000_000 + n * 3, stream: 'stdout', step_index: null, content });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** What one ingest measured: lines/s with each run's end (its last seal) counted, text bytes, the runs' ids. */
export interface IngestFigures {
  linesPerSecond: number;
  textBytes: number;
  ids: number[];
}

/** Ingests `total` lines as runs of `perRun`, `parallel` runs interleaved batch by batch. */
export async function ingest(
  layout: LogLayout,
  total: number,
  perRun: number,
  parallel: number,
): Promise<IngestFigures> {
  let textBytes = 0;
  const ids: number[] = [];
  let elapsed = 0;
  for (let first = 0; first * perRun < total; first += parallel) {
    const group = Array.from({ length: Math.min(parallel, Math.ceil(total / perRun) - first) }, (_, i) => first + i);
    const runs = await Promise.all(
      group.map(async (n) => ({ id: await layout.createRun(`run ${n}`), batches: generateRun(n + 1, perRun, null) })),
    );
    for (let live = runs; live.length > 0;) {
      const next: typeof runs = [];
      for (const run of live) {
        const batch = run.batches.next();
        if (batch.done) continue;
        for (const line of batch.value) textBytes += Buffer.byteLength(line.content);
        const started = performance.now();
        await layout.append(run.id, batch.value);
        elapsed += performance.now() - started;
        next.push(run);
      }
      live = next;
    }
    const started = performance.now();
    for (const run of runs) await layout.end(run.id);
    elapsed += performance.now() - started;
    ids.push(...runs.map((run) => run.id));
  }
  return { linesPerSecond: total / (elapsed / 1000), textBytes, ids };
}

/** One run's ingest into chunks (sealing counted) and into rows, 3 rounds alternating on fresh databases; medians. */
export async function measureSingleIngest(lines: number): Promise<{ chunks: number; rows: number }> {
  const figures = { chunks: [] as number[], rows: [] as number[] };
  for (let round = 0; round < 3; round++) {
    for (const name of round % 2 === 0 ? (['chunks', 'rows'] as const) : (['rows', 'chunks'] as const)) {
      const layout = name === 'chunks' ? await openChunkLayout() : openRowLayout();
      figures[name].push((await ingest(layout, lines, lines, 1)).linesPerSecond);
      await layout.closeAndMeasure();
    }
  }
  return { chunks: percentile(figures.chunks, 50), rows: percentile(figures.rows, 50) };
}
