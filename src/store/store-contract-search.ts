// Owns the store contract's log search cases: literal and regex matches across runs, filters, paging, budget and deletes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../core/log-line.js';
import type { LogSearchQuery, Store } from './store.js';
import { logLines, newExecution, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Three ended runs of 3,000 lines (sealed) and a live one; `needles` puts text at given lines of given runs. */
async function seedRuns(store: Store, needles: Record<number, Record<number, string>>): Promise<number[]> {
  const ids: number[] = [];
  for (let run = 0; run < 4; run++) {
    const { id } = await store.createExecution(
      newExecution({ name: run === 3 ? 'deploy live' : `build ${run}` }),
      1_000 + run,
    );
    const lines: LogLine[] = logLines(1, run === 3 ? 300 : 3_000, null).map((l) => ({
      ...l,
      content: needles[run]?.[l.line] ?? `compile unit ${l.line % 400} ok`,
    }));
    await store.appendLogLines(id, lines);
    if (run < 3) {
      await store.updateExecution(id, { status: run === 1 ? 'failed' : 'completed', completed_at: 5_000 });
      await store.sealLog(id);
    }
    ids.push(id);
  }
  return ids;
}

function search(text: string, extra: Partial<LogSearchQuery> = {}): LogSearchQuery {
  return { text, regex: false, limit: 10, matches_per_execution: 5, context: 2, budget_ms: 20_000, ...extra };
}

/** Registers the log search cases of the store contract. */
export function describeLogSearchContract(open: OpenStore): void {
  describe('searchLogs', () => {
    it('finds a rare literal in sealed and live logs, newest first, with context, skipping chunks that cannot match', () =>
      withStore(open, async (store) => {
        const ids = await seedRuns(store, {
          0: { 2_500: 'Error: read ECONNRESET' },
          2: { 10: 'socket \x1b[1meconn\x1b[0mreset again' },
          3: { 299: 'ECONNRESET live' },
        });
        const page = await store.searchLogs(search('econnreset'));
        assert.deepEqual(
          page.executions.map((hit) => [hit.execution.id, hit.match_count, hit.matches.map((m) => m.line.line)]),
          [
            [ids[3], 1, [299]],
            [ids[2], 1, [10]],
            [ids[0], 1, [2_500]],
          ],
        );
        const first = page.executions[2]?.matches[0];
        assert.deepEqual(
          [first?.before.map((l) => l.line), first?.after.map((l) => l.line)],
          [
            [2_498, 2_499],
            [2_501, 2_502],
          ],
        );
        assert.equal(page.partial, false);
        assert.equal(page.next_before_id, null);
        assert.ok(page.skipped_chunks > page.searched_chunks, JSON.stringify(page));
      }));

    it('filters by status, name and creation time, and pages by cursor', () =>
      withStore(open, async (store) => {
        const ids = await seedRuns(store, {
          0: { 5: 'flaky ETIMEDOUT' },
          1: { 6: 'flaky ETIMEDOUT' },
          2: { 7: 'flaky ETIMEDOUT' },
        });
        const only = async (extra: Partial<LogSearchQuery>): Promise<number[]> =>
          (await store.searchLogs(search('etimedout', extra))).executions.map((hit) => hit.execution.id);
        assert.deepEqual(await only({ status: 'failed' }), [ids[1]]);
        assert.deepEqual(await only({ name: 'BUILD 2' }), [ids[2]]);
        assert.deepEqual(await only({ since: 1_001, until: 1_002 }), [ids[1]]);
        const first = await store.searchLogs(search('etimedout', { limit: 2 }));
        assert.deepEqual(
          [first.executions.map((hit) => hit.execution.id), first.next_before_id],
          [[ids[2], ids[1]], ids[1]],
        );
        assert.deepEqual(await only({ limit: 2, before_id: first.next_before_id ?? 0 }), [ids[0]]);
      }));

    it('matches regular expressions and counts every match up to the cap, returning the first few', () =>
      withStore(open, async (store) => {
        const ids = await seedRuns(store, {});
        const page = await store.searchLogs(search('unit (17|399) ok$', { regex: true, name: 'build 0' }));
        assert.deepEqual(
          [page.executions[0]?.execution.id, page.executions[0]?.match_count, page.executions[0]?.matches.length],
          [ids[0], 15, 5],
        );
        const common = await store.searchLogs(search('compile', { name: 'build 0' }));
        assert.deepEqual([common.executions[0]?.match_count, common.executions[0]?.more], [1_000, true]);
      }));

    it('gives context across chunk boundaries, reading a skipped neighbour chunk only for it', () =>
      withStore(open, async (store) => {
        // 3,000 lines sealed at once are cut after lines 1,024 and 2,048 in either store.
        const ids = await seedRuns(store, { 0: { 1_024: 'rare boundary-x1' }, 2: { 2_049: 'rare boundary-x1' } });
        const page = await store.searchLogs(search('boundary-x1'));
        assert.deepEqual(
          page.executions.map((hit) => [
            hit.execution.id,
            hit.matches.map((m) => [m.line.line, m.before.map((l) => l.line), m.after.map((l) => l.line)]),
          ]),
          [
            [ids[2], [[2_049, [2_047, 2_048], [2_050, 2_051]]]],
            [ids[0], [[1_024, [1_022, 1_023], [1_025, 1_026]]]],
          ],
        );
        // Per run: the matching chunk and, for its context, the chunk after (run 0) or before it (run 2, not counted).
        assert.deepEqual([page.searched_chunks, page.skipped_chunks], [3, 6]);
      }));

    it('skips chunks for a regex by the literals it requires, finding what a full scan finds', () =>
      withStore(open, async (store) => {
        const ids = await seedRuns(store, {
          0: { 2_500: 'Error: read ECONNRESET at socket 17' },
          2: { 10: 'read econnaborted at \x1b[1msocket\x1b[0m 4' },
        });
        const hits = (page: { executions: { execution: { id: number }; matches: { line: LogLine }[] }[] }) =>
          page.executions.map((hit) => [hit.execution.id, hit.matches.map((m) => m.line.line)]);
        const filtered = await store.searchLogs(search('econn\\w+ at socket \\d+$', { regex: true }));
        // A top-level alternation requires no literal, so this equivalent pattern reads every chunk.
        const scanned = await store.searchLogs(search('econn\\w+ at socket \\d+$|^\\b$x', { regex: true }));
        assert.deepEqual(hits(filtered), [
          [ids[2], [10]],
          [ids[0], [2_500]],
        ]);
        assert.deepEqual(hits(scanned), hits(filtered));
        assert.ok(filtered.skipped_chunks > filtered.searched_chunks, JSON.stringify(filtered));
        assert.equal(scanned.skipped_chunks, 0);
      }));

    it('stops a pathological pattern at its budget and says the page is partial', () =>
      withStore(open, async (store) => {
        await seedRuns(store, { 3: { 1: `${'a'.repeat(40)}b` } });
        const page = await store.searchLogs(search('(a+)+$', { regex: true, budget_ms: 500 }));
        assert.deepEqual([page.partial, page.executions.length], [true, 0]);
      }));

    it('no longer finds lines that were deleted by retention or with their execution', () =>
      withStore(open, async (store) => {
        const ids = await seedRuns(store, { 0: { 100: 'needle-xyz' }, 1: { 2_900: 'needle-xyz' } });
        await store.deleteLogLines(ids[0] as number, 1_000);
        await store.deleteExecution(ids[1] as number);
        assert.deepEqual((await store.searchLogs(search('needle-xyz'))).executions, []);
      }));
  });
}
