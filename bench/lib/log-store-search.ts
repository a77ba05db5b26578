// Owns scenario 9's search: a corpus of runs with a rare text in one, timed through GET /api/search on the built server.
import type { WireSearchPage } from '../../src/core/wire-types.js';
import { getJson } from './api.js';
import { noteFailure, type BenchContext } from './bench-context.js';
import { generateRun, RARE } from './log-store-ingest.js';
import { openChunkLayout } from './log-layouts.js';
import { percentile } from './stats.js';

/** What the searches measured: p50s of 7 requests each, and the share of chunks the filters skipped. */
export interface SearchFigures {
  runs: number;
  rareRuns: number;
  rareP50Ms: number;
  commonFirstPageP50Ms: number;
  skippedChunkShare: number;
  rareRegexP50Ms: number;
  regexSkippedChunkShare: number;
  /** The same regex behind a top-level alternation that can never match: nothing required, every chunk read (as before). */
  rareRegexFullScanP50Ms: number;
  /** True when that full scan ran out of the search budget (as it does over 10,000,000 lines): a figure, not a failure. */
  rareRegexFullScanPartial: boolean;
}

const skippedShare = (page: WireSearchPage | undefined): number =>
  page ? page.skipped_chunks / Math.max(1, page.skipped_chunks + page.searched_chunks) : 0;

/** Stores `lines` as runs of `perRun` with RARE in one run, a third of the way from the oldest. */
async function storeSearchCorpus(lines: number, perRun: number): Promise<{ storage: string; runs: number }> {
  const layout = await openChunkLayout();
  const runs = Math.ceil(lines / perRun);
  const rareRun = Math.floor(runs / 3);
  for (let n = 0; n < runs; n++) {
    const id = await layout.createRun(`ci ${n}`);
    for (const batch of generateRun(1_000 + n, perRun, n === rareRun ? Math.floor(perRun / 2) : null))
      await layout.append(id, batch);
    await layout.end(id);
  }
  await layout.closeAndMeasure();
  return { storage: layout.storage, runs };
}

/** p50 of 7 requests of a search, and its last page. */
async function timeSearch(url: string, path: string): Promise<{ p50: number; page: WireSearchPage | undefined }> {
  const ms: number[] = [];
  let page: WireSearchPage | undefined;
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    page = await getJson<WireSearchPage>(url, path);
    ms.push(performance.now() - started);
  }
  return { p50: percentile(ms, 50), page };
}

/** Stores the search corpus, then times searches for the rare text on the built server. */
export async function measureSearch(context: BenchContext, lines: number, perRun: number): Promise<SearchFigures> {
  const { storage, runs } = await storeSearchCorpus(lines, perRun);
  const server = await context.target.open('9 log search', storage);
  try {
    const rare = await timeSearch(server.url, `/api/search?q=${RARE.toLowerCase()}`);
    const pattern = 'econn\\w+ at tlssocket\\.\\w+';
    const regex = await timeSearch(server.url, `/api/search?regex=true&q=${encodeURIComponent(pattern)}`);
    const fullScan = await timeSearch(
      server.url,
      `/api/search?regex=true&q=${encodeURIComponent(`${pattern}|^\\b$x`)}`,
    );
    for (const [name, found] of [
      ['literal', rare.page],
      ['regex', regex.page],
    ] as const) {
      const hits = found?.executions.length ?? 0;
      if (hits !== 1 || found?.partial)
        noteFailure(context, `log search (${name}): found in ${hits} runs (expected 1), partial ${found?.partial}`);
    }
    const common = await timeSearch(server.url, '/api/search?q=npm%20warn%20deprecated&limit=20');
    return {
      runs,
      rareRuns: 1,
      rareP50Ms: rare.p50,
      commonFirstPageP50Ms: common.p50,
      skippedChunkShare: skippedShare(rare.page),
      rareRegexP50Ms: regex.p50,
      regexSkippedChunkShare: skippedShare(regex.page),
      rareRegexFullScanP50Ms: fullScan.p50,
      rareRegexFullScanPartial: fullScan.page?.partial ?? false,
    };
  } finally {
    await server.stop();
  }
}
