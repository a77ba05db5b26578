// Scenario 9: the log store on a generated CI corpus, chunks beside one-row-per-line: bytes on disk, ingest, page reads, cross-run search.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SQLITE_DATABASE_FILE } from '../../src/store/sqlite/open-sqlite-store.js';
import type { BenchContext } from '../lib/bench-context.js';
import { openChunkLayout, openRowLayout, type LogLayout } from '../lib/log-layouts.js';
import { ingest, measureSingleIngest } from '../lib/log-store-ingest.js';
import { measureSearch, type SearchFigures } from '../lib/log-store-search.js';
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
  /** One run's ingest, sealing counted, medians of 3 alternated rounds on fresh databases. */
  singleRunMedians: { chunks: number; rows: number };
  pageP50Ms: { chunks: number; old: number };
  search: SearchFigures;
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
    ['chunks', async () => openChunkLayout()],
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

type Row = { figure: string; chunks: number | string; 'old (row per line)': number | string; target: string };

function tableRows(
  layouts: Awaited<ReturnType<typeof measureLayouts>>,
  single: LogStoreResult['singleRunMedians'],
  search: SearchFigures,
): Row[] {
  const row = (figure: string, chunks: number | string, old: number | string, target: string): Row => ({
    figure,
    chunks,
    'old (row per line)': old,
    target,
  });
  const lps = Math.round;
  return [
    row('bytes on disk per byte of log text', layouts.bytesPerTextByte.chunks, layouts.bytesPerTextByte.old, '<= 0.35'),
    row(
      'ingest, one run, sealing counted (lines/s)',
      lps(layouts.ingestLinesPerSecond.single.chunks),
      lps(layouts.ingestLinesPerSecond.single.old),
      '>= 300,000',
    ),
    row('the same, median of 3 alternated (lines/s)', lps(single.chunks), lps(single.rows), '>= 300,000'),
    row(
      'ingest, 20 runs interleaved (lines/s)',
      lps(layouts.ingestLinesPerSecond.twentyRuns.chunks),
      lps(layouts.ingestLinesPerSecond.twentyRuns.old),
      '>= old',
    ),
    row('2,000-line page p50 (ms)', layouts.pageP50Ms.chunks, layouts.pageP50Ms.old, '< 10'),
    row(`search, rare literal in 1 of ${search.runs} runs, p50 (ms)`, search.rareP50Ms, 'no search', '< 1,000'),
    row('search, common literal, first page p50 (ms)', search.commonFirstPageP50Ms, 'no search', '< 1,000'),
    row('chunks skipped by the trigram filter (rare literal)', search.skippedChunkShare, '-', '-'),
    row('search, rare regex, p50 (ms)', search.rareRegexP50Ms, 'no search', '< 1,000'),
    row(
      'the same regex reading every chunk, p50 (ms)',
      search.rareRegexFullScanPartial
        ? `${Math.round(search.rareRegexFullScanP50Ms)} (budget out, partial)`
        : search.rareRegexFullScanP50Ms,
      'no search',
      '-',
    ),
    row('chunks skipped by the trigram filter (rare regex)', search.regexSkippedChunkShare, '-', '-'),
    row('index size / compressed log', layouts.indexShareOfCompressed, '-', '<= 0.15'),
  ];
}

/** Runs scenario 9 and prints its table. */
export async function benchLogStore(context: BenchContext, full: boolean): Promise<LogStoreResult> {
  const sizes = LOG_STORE_SIZES[context.quick ? 'quick' : full ? 'full' : 'default'];
  const layouts = await measureLayouts(sizes);
  const single = await measureSingleIngest(sizes.singleRunLines);
  const search = await measureSearch(context, sizes.searchLines, sizes.searchRunLines);
  const lines = (n: number): string => n.toLocaleString('en-US');
  printTable(
    `9 Log store: ${lines(sizes.storageLines)}-line CI corpus + a ${lines(sizes.singleRunLines)}-line run; search over ${lines(sizes.searchLines)} lines`,
    tableRows(layouts, single, search),
  );
  return { sizes, ...layouts, singleRunMedians: single, search };
}
