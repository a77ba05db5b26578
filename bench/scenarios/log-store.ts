// Scenario 9: the log store on a generated CI corpus, chunks beside one-row-per-line: bytes on disk, ingest, page reads, cross-run search.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { LogLine } from '../../src/core/log-line.js';
import type { WireSearchPage } from '../../src/core/wire-types.js';
import { SQLITE_DATABASE_FILE } from '../../src/store/sqlite/open-sqlite-store.js';
import { getJson } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { createCiLogGenerator } from '../lib/generate-ci-log.js';
import { openChunkLayout, openRowLayout, type LogLayout } from '../lib/log-layouts.js';
import { percentile, printTable } from '../lib/stats.js';

/** Corpus sizes: the defaults are bounded; `--log-full` runs the sizes the figures are stated for. */
export interface LogStoreSizes {
  storageLines: number;
  singleRunLines: number;
  searchLines: number;
  searchRunLines: number;
}

/** Sizes per mode. */
export const LOG_STORE_SIZES: Record<'quick' | 'default' | 'full', LogStoreSizes> = {
  quick: { storageLines: 100_000, singleRunLines: 100_000, searchLines: 100_000, searchRunLines: 5_000 },
  default: { storageLines: 1_000_000, singleRunLines: 1_000_000, searchLines: 1_000_000, searchRunLines: 5_000 },
  full: { storageLines: 5_000_000, singleRunLines: 1_000_000, searchLines: 10_000_000, searchRunLines: 5_000 },
};

/** What scenario 9 measured; `old` is the layout before chunks, in the same run. */
export interface LogStoreResult {
  sizes: LogStoreSizes;
  textBytes: number;
  bytesPerTextByte: { chunks: number; old: number };
  indexShareOfCompressed: number;
  ingestLinesPerSecond: { single: { chunks: number; old: number }; twentyRuns: { chunks: number; old: number } };
  /** One run's ingest, medians of 3 rounds: appends alone (sealing left to the background), sealed inline after each append (before), appends then sealing all, rows. */
  singleRunMedians: { appendsOnly: number; sealedInline: number; appendsThenSealed: number; rows: number };
  pageP50Ms: { chunks: number; old: number };
  search: {
    runs: number;
    rareRuns: number;
    rareP50Ms: number;
    commonFirstPageP50Ms: number;
    skippedChunkShare: number;
  };
}

const BATCH = 1_000;
const RARE = 'ECONNRESET';

function* generateRun(seed: number, count: number, rareAt: number | null): Generator<LogLine[]> {
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

/** Ingests `total` lines as runs of `perRun`, `parallel` runs interleaved batch by batch; returns lines/s and text bytes. */
async function ingest(
  layout: LogLayout,
  total: number,
  perRun: number,
  parallel: number,
): Promise<{ linesPerSecond: number; appendLinesPerSecond: number; textBytes: number; ids: number[] }> {
  let textBytes = 0;
  const ids: number[] = [];
  let elapsed = 0;
  let appending = 0;
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
        appending += performance.now() - started;
        next.push(run);
      }
      live = next;
    }
    const started = performance.now();
    for (const run of runs) await layout.end(run.id);
    elapsed += performance.now() - started;
    ids.push(...runs.map((run) => run.id));
  }
  return { linesPerSecond: total / (elapsed / 1000), appendLinesPerSecond: total / (appending / 1000), textBytes, ids };
}

/** One run's ingest in each way, 3 rounds in rotating order on fresh databases; medians. */
async function measureSingleIngest(lines: number): Promise<LogStoreResult['singleRunMedians']> {
  const figures = {
    appendsOnly: [] as number[],
    sealedInline: [] as number[],
    appendsThenSealed: [] as number[],
    rows: [] as number[],
  };
  const ways = [
    async () => {
      const layout = await openChunkLayout();
      const run = await ingest(layout, lines, lines, 1);
      figures.appendsOnly.push(run.appendLinesPerSecond);
      figures.appendsThenSealed.push(run.linesPerSecond);
      await layout.closeAndMeasure();
    },
    async () => {
      const layout = await openChunkLayout(true);
      figures.sealedInline.push((await ingest(layout, lines, lines, 1)).linesPerSecond);
      await layout.closeAndMeasure();
    },
    async () => {
      const layout = openRowLayout();
      figures.rows.push((await ingest(layout, lines, lines, 1)).linesPerSecond);
      await layout.closeAndMeasure();
    },
  ];
  for (let round = 0; round < 3; round++)
    for (let i = 0; i < ways.length; i++) await (ways[(i + round) % ways.length] as () => Promise<void>)();
  return {
    appendsOnly: percentile(figures.appendsOnly, 50),
    sealedInline: percentile(figures.sealedInline, 50),
    appendsThenSealed: percentile(figures.appendsThenSealed, 50),
    rows: percentile(figures.rows, 50),
  };
}

/** p50 of reading a 2,000-line page at 25 spread offsets of a log of `lines`. */
async function pageP50(layout: LogLayout, id: number, lines: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 25; i++) {
    const offset = Math.floor((((i * 7919) % 25) / 25) * (lines - 2_000));
    const started = performance.now();
    const page = await layout.read(id, { offset, limit: 2_000 });
    times.push(performance.now() - started);
    if (page.lines.length !== 2_000 || page.lines[0]?.line !== offset + 1)
      throw new Error(`page at ${offset}: ${page.lines.length} lines from ${page.lines[0]?.line}`);
  }
  return percentile(times, 50);
}

async function measureLayouts(
  sizes: LogStoreSizes,
): Promise<Omit<LogStoreResult, 'search' | 'sizes' | 'singleRunMedians'>> {
  const figures = {
    chunks: { single: 0, twenty: 0, page: 0, bytes: 0, text: 0 },
    old: { single: 0, twenty: 0, page: 0, bytes: 0, text: 0 },
  };
  let indexShare = 0;
  for (const [name, open] of [
    ['chunks', async () => openChunkLayout(true)],
    ['old', async () => openRowLayout()],
  ] as const) {
    const layout = await open();
    const single = await ingest(layout, sizes.singleRunLines, sizes.singleRunLines, 1);
    const f = figures[name];
    f.single = single.linesPerSecond;
    f.page = await pageP50(layout, single.ids[0] as number, sizes.singleRunLines);
    const corpus = await ingest(layout, sizes.storageLines, 10_000, 20);
    f.twenty = corpus.linesPerSecond;
    f.text = single.textBytes + corpus.textBytes;
    f.bytes = await layout.closeAndMeasure();
    if (name === 'chunks') indexShare = indexShareOf(layout.storage);
  }
  return {
    textBytes: figures.chunks.text,
    bytesPerTextByte: { chunks: figures.chunks.bytes / figures.chunks.text, old: figures.old.bytes / figures.old.text },
    indexShareOfCompressed: indexShare,
    ingestLinesPerSecond: {
      single: { chunks: figures.chunks.single, old: figures.old.single },
      twentyRuns: { chunks: figures.chunks.twenty, old: figures.old.twenty },
    },
    pageP50Ms: { chunks: figures.chunks.page, old: figures.old.page },
  };
}

function indexShareOf(storage: string): number {
  const db = new Database(join(storage, SQLITE_DATABASE_FILE), { readonly: true });
  const row = db
    .prepare(
      'SELECT (SELECT SUM(LENGTH(grams)) FROM log_chunk_grams) AS grams, (SELECT SUM(LENGTH(data)) FROM log_chunks) AS data',
    )
    .get() as { grams: number; data: number };
  db.close();
  return row.grams / row.data;
}

/** Builds a searchable corpus with the rare text in one run, then times GET /api/search on the built server. */
async function measureSearch(context: BenchContext, sizes: LogStoreSizes): Promise<LogStoreResult['search']> {
  const layout = await openChunkLayout(true);
  const runs = Math.ceil(sizes.searchLines / sizes.searchRunLines);
  const rareRun = Math.floor(runs / 3);
  for (let n = 0; n < runs; n++) {
    const id = await layout.createRun(`ci ${n}`);
    for (const batch of generateRun(
      1_000 + n,
      sizes.searchRunLines,
      n === rareRun ? Math.floor(sizes.searchRunLines / 2) : null,
    ))
      await layout.append(id, batch);
    await layout.end(id);
  }
  await layout.closeAndMeasure();
  const server = await context.target.open('9 log search', layout.storage);
  try {
    const time = async (path: string): Promise<{ ms: number; page: WireSearchPage }> => {
      const started = performance.now();
      const page = await getJson<WireSearchPage>(server.url, path);
      return { ms: performance.now() - started, page };
    };
    const rare = [];
    for (let i = 0; i < 7; i++) rare.push(await time(`/api/search?q=${RARE.toLowerCase()}`));
    const hits = rare[0]?.page.executions.length ?? 0;
    if (hits !== 1 || rare[0]?.page.partial)
      noteFailure(
        context,
        `log search: the rare text was found in ${hits} runs (expected 1), partial ${rare[0]?.page.partial}`,
      );
    const common = [];
    for (let i = 0; i < 7; i++) common.push(await time('/api/search?q=npm%20warn%20deprecated&limit=20'));
    const page = rare[0]?.page;
    return {
      runs,
      rareRuns: 1,
      rareP50Ms: percentile(
        rare.map((r) => r.ms),
        50,
      ),
      commonFirstPageP50Ms: percentile(
        common.map((r) => r.ms),
        50,
      ),
      skippedChunkShare: page ? page.skipped_chunks / Math.max(1, page.skipped_chunks + page.searched_chunks) : 0,
    };
  } finally {
    await server.stop();
  }
}

/** Runs scenario 9 and prints its table. */
export async function benchLogStore(context: BenchContext, full: boolean): Promise<LogStoreResult> {
  const sizes = LOG_STORE_SIZES[context.quick ? 'quick' : full ? 'full' : 'default'];
  const layouts = await measureLayouts(sizes);
  const single = await measureSingleIngest(sizes.singleRunLines);
  const search = await measureSearch(context, sizes);
  printTable(
    `9 Log store: ${sizes.storageLines.toLocaleString('en-US')}-line CI corpus + a ${sizes.singleRunLines.toLocaleString('en-US')}-line run; search over ${sizes.searchLines.toLocaleString('en-US')} lines`,
    [
      {
        figure: 'bytes on disk per byte of log text',
        chunks: layouts.bytesPerTextByte.chunks,
        'old (row per line)': layouts.bytesPerTextByte.old,
        target: '<= 0.35',
      },
      {
        figure: 'ingest, one run, sealed as it goes (lines/s)',
        chunks: Math.round(layouts.ingestLinesPerSecond.single.chunks),
        'old (row per line)': Math.round(layouts.ingestLinesPerSecond.single.old),
        target: '>= 300,000',
      },
      {
        figure: 'one run, appends alone, median of 3 (lines/s)',
        chunks: Math.round(single.appendsOnly),
        'old (row per line)': Math.round(single.rows),
        target: '>= 300,000',
      },
      {
        figure: 'one run, chunks sealed inline (before), median of 3',
        chunks: Math.round(single.sealedInline),
        'old (row per line)': '-',
        target: '-',
      },
      {
        figure: 'one run, appends then sealed whole, median of 3',
        chunks: Math.round(single.appendsThenSealed),
        'old (row per line)': '-',
        target: '-',
      },
      {
        figure: 'ingest, 20 runs interleaved (lines/s)',
        chunks: Math.round(layouts.ingestLinesPerSecond.twentyRuns.chunks),
        'old (row per line)': Math.round(layouts.ingestLinesPerSecond.twentyRuns.old),
        target: '>= old',
      },
      {
        figure: '2,000-line page p50 (ms)',
        chunks: layouts.pageP50Ms.chunks,
        'old (row per line)': layouts.pageP50Ms.old,
        target: '< 10',
      },
      {
        figure: `search, rare literal in 1 of ${search.runs} runs, p50 (ms)`,
        chunks: search.rareP50Ms,
        'old (row per line)': 'no search',
        target: '< 1,000',
      },
      {
        figure: 'search, common literal, first page p50 (ms)',
        chunks: search.commonFirstPageP50Ms,
        'old (row per line)': 'no search',
        target: '< 1,000',
      },
      {
        figure: 'chunks skipped by the trigram filter (rare)',
        chunks: search.skippedChunkShare,
        'old (row per line)': '-',
        target: '-',
      },
      {
        figure: 'index size / compressed log',
        chunks: layouts.indexShareOfCompressed,
        'old (row per line)': '-',
        target: '<= 0.15',
      },
    ],
  );
  return { sizes, ...layouts, singleRunMedians: single, search };
}
