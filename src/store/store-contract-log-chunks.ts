// Owns the store contract's sealed-log cases: every read returns the same lines before, while and after a log is sealed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogLine } from '../core/log-line.js';
import type { LogQuery, Store } from './store.js';
import { logLines, newExecution, newStep, withStore, type OpenStore } from './store-contract-fixtures.js';

/** Lines 1-5 outside steps, 6-1305 step 0 (every 10th on stderr, varied text), 1306-1310 outside, 1311-1800 step 1, 1801 system. */
function longLog(): LogLine[] {
  const text = (l: LogLine): LogLine => ({
    ...l,
    content:
      l.line % 97 === 0
        ? `\x1b[31mERROR\x1b[0m ünï 🚀 at line ${l.line}`
        : `${l.content} npm WARN deprecated pkg@${l.line % 11}.0.0`,
  });
  return [
    ...logLines(1, 5, null),
    ...logLines(6, 1305, 0).map((l) => (l.line % 10 === 0 ? { ...l, stream: 'stderr' as const } : l)),
    ...logLines(1306, 1310, null),
    ...logLines(1311, 1800, 1),
    ...logLines(1801, 1801, null, 'system'),
  ].map(text);
}

/** What a read must return, computed from the lines themselves. */
function expected(all: readonly LogLine[], query: LogQuery): { lines: LogLine[]; total: number } {
  const matching = all.filter(
    (l) =>
      (query.step_index === undefined || l.step_index === query.step_index) &&
      (query.stream === undefined || l.stream === query.stream),
  );
  return {
    lines: matching.slice(query.offset, query.offset + query.limit),
    total: query.step_index === undefined && query.stream === undefined ? (all.at(-1)?.line ?? 0) : matching.length,
  };
}

const QUERIES: LogQuery[] = [
  { offset: 0, limit: 2_000 },
  { offset: 511, limit: 3 },
  { offset: 700, limit: 600 },
  { offset: 1_799, limit: 10 },
  { offset: 600, limit: 300, step_index: 0 },
  { offset: 0, limit: 20, step_index: null },
  { offset: 4, limit: 3, step_index: null },
  { offset: 50, limit: 70, stream: 'stderr' },
  { offset: 3, limit: 5, stream: 'stderr', step_index: 0 },
  { offset: 0, limit: 5, stream: 'system', step_index: null },
  { offset: 0, limit: 10, step_index: 1, stream: 'stderr' },
  { offset: 480, limit: 100, step_index: 1 },
];

async function assertReads(store: Store, id: number, all: readonly LogLine[], when: string): Promise<void> {
  for (const query of QUERIES)
    assert.deepEqual(await store.readLogLines(id, query), expected(all, query), `${when}: ${JSON.stringify(query)}`);
  assert.equal(await store.lastLogLine(id), all.at(-1)?.line ?? 0, when);
}

async function seedLongLog(store: Store, batch: number): Promise<{ id: number; all: LogLine[] }> {
  const { id } = await store.createExecution(newExecution(), 1);
  await store.saveStep(id, newStep(0, { first_line: 6, last_line: 1305 }));
  await store.saveStep(id, newStep(1, { first_line: 1311, last_line: 1800 }));
  const all = longLog();
  for (let at = 0; at < all.length; at += batch) await store.appendLogLines(id, all.slice(at, at + batch));
  return { id, all };
}

/** Registers the sealed-log cases of the store contract. */
export function describeLogChunkContract(open: OpenStore, sealsOnAppend: boolean): void {
  describe('sealLog / sealLogBacklog', () => {
    it('returns the same pages for every query while the log is live and after it is sealed', () =>
      withStore(open, async (store) => {
        for (const batch of [1, 37, 1_000]) {
          const { id, all } = await seedLongLog(store, batch);
          await assertReads(store, id, all, `live, batches of ${batch}`);
          await store.sealLog(id);
          await assertReads(store, id, all, `sealed, batches of ${batch}`);
        }
      }));

    it('deletes sealed lines up to a line inside a chunk and keeps every later line', () =>
      withStore(open, async (store) => {
        const { id, all } = await seedLongLog(store, 1_000);
        await store.sealLog(id);
        assert.equal(await store.deleteLogLines(id, 700), 700);
        assert.deepEqual(await store.readLogLines(id, { offset: 700, limit: 2_000 }), {
          lines: all.slice(700),
          total: 1801,
        });
        assert.deepEqual(
          (await store.readLogLines(id, { offset: 0, limit: 5, step_index: 0 })).lines,
          all.slice(700, 705),
        );
        assert.equal(await store.deleteLogLines(id, 5_000), 1101);
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 10 }), { lines: [], total: 0 });
      }));

    it('seals the backlog of ended executions a batch at a time, reads unchanged throughout', () =>
      withStore(open, async (store) => {
        const { id, all } = await seedLongLog(store, 1_000);
        const running = await seedLongLog(store, 1_000);
        await store.updateExecution(id, { status: 'completed', completed_at: 2 });
        let sealed = 0;
        for (let n = await store.sealLogBacklog(600); n > 0; n = await store.sealLogBacklog(600)) {
          sealed += n;
          await assertReads(store, id, all, `after ${sealed} backlog lines`);
        }
        // Appends that seal leave only the last, unfinished chunk (line 1801) to the backlog.
        assert.equal(sealed, sealsOnAppend ? 1 : all.length);
        await assertReads(store, running.id, running.all, 'a running execution is left live');
      }));

    it('seals the complete chunks of a live log a batch at a time, keeping its unfinished chunk live', () =>
      withStore(open, async (store) => {
        const { id, all } = await seedLongLog(store, 37);
        let sealed = 0;
        for (let n = await store.sealLiveLogs(600); n > 0; n = await store.sealLiveLogs(600)) {
          sealed += n;
          await assertReads(store, id, all, `live log after ${sealed} lines sealed`);
        }
        // Every chunk up to line 1800 is complete (a step change or full); line 1801 is the unfinished chunk.
        assert.equal(sealed, sealsOnAppend ? 0 : 1_800);
        const more = logLines(1802, 1900, null);
        await store.appendLogLines(id, more);
        await assertReads(store, id, [...all, ...more], 'appended to after sealing');
        await store.sealLog(id);
        await assertReads(store, id, [...all, ...more], 'sealed once it ended');
      }));

    it('removes sealed lines with their execution', () =>
      withStore(open, async (store) => {
        const { id } = await seedLongLog(store, 1_000);
        await store.sealLog(id);
        assert.equal(await store.deleteExecution(id), true);
        assert.deepEqual(await store.readLogLines(id, { offset: 0, limit: 10 }), { lines: [], total: 0 });
        assert.equal(await store.lastLogLine(id), 0);
      }));
  });
}
