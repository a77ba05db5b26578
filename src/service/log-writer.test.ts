import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LogLine } from '../core/log-line.js';
import { newExecution } from '../store/store-contract-fixtures.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { systemClock } from '../core/clock.js';
import { createDatabaseOutage } from './database-outage.js';
import { createLogWriter } from './log-writer.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** `store` whose next `cuts` appends break the connection: `after` the commit landed (its answer lost) or before it. */
function cuttingStore(store: Store, cuts: { left: number; after: boolean }): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendLogLines')
        return async (executionId: number, lines: readonly LogLine[]) => {
          if (cuts.left > 0 && !cuts.after) {
            cuts.left--;
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          }
          await target.appendLogLines(executionId, lines);
          if (cuts.left > 0) {
            cuts.left--;
            throw new Error('Connection terminated unexpectedly');
          }
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

const line = (n: number): LogLine => ({
  line: n,
  ts: 1_000 + n,
  stream: 'stdout',
  step_index: null,
  content: `line ${n}`,
});

describe('createLogWriter', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-log-writer-'));
    store = await openSqliteStore({ storagePath: dir, cacheSizeKib: 1024, walAutocheckpoint: 1000 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits buffered lines in order on flush', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    const committed: number[] = [];
    const writer = createLogWriter(store, {
      flushMs: 60_000,
      batchLines: 1_000,
      onCommitted: (_id, lines) => committed.push(...lines.map((l) => l.line)),
      onFailed: () => assert.fail('no failure'),
    });
    for (const n of [1, 2, 3]) writer.add(id, line(n));
    await writer.flush();
    assert.deepEqual(committed, [1, 2, 3]);
    assert.equal(writer.pending, 0);
    assert.deepEqual(
      (await store.readLogLines(id, { offset: 0, limit: 10 })).lines.map((l) => l.content),
      ['line 1', 'line 2', 'line 3'],
    );
  });

  it('commits the lines of every flushSoon of one event-loop turn together, once that turn is over', async () => {
    const a = (await store.createExecution(newExecution(), 1_000)).id;
    const b = (await store.createExecution(newExecution(), 1_000)).id;
    const commits: number[][] = [];
    const writer = createLogWriter(store, {
      flushMs: 60_000,
      batchLines: 1_000,
      onCommitted: (_id, lines) => commits.push(lines.map((l) => l.line)),
      onFailed: () => assert.fail('no failure'),
    });
    writer.add(a, line(1));
    writer.flushSoon();
    writer.add(b, line(1));
    writer.add(b, line(2));
    writer.flushSoon();
    assert.equal(writer.pending, 3, 'nothing is cut within the turn');
    // No flush() and a 60 s timer: only flushSoon can have committed these.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(commits, [[1], [1, 2]], 'one cut, committed execution by execution');
    assert.equal(writer.pending, 0);
  });

  it('stores no line while refused, reports each execution once and keeps its stored log a prefix', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    let refusal: string | null = null;
    const refused: [number, string][] = [];
    const writer = createLogWriter(store, {
      flushMs: 60_000,
      batchLines: 1_000,
      onCommitted: () => {},
      onFailed: () => assert.fail('no failure'),
      refusal: () => refusal,
      onRefused: (executionId, reason) => refused.push([executionId, reason]),
    });
    writer.add(id, line(1));
    await writer.flush();
    writer.add(id, line(2));
    refusal = 'storage full: database or disk is full';
    writer.add(id, line(3));
    await writer.flush();
    refusal = null;
    writer.add(id, line(4));
    await writer.flush();
    assert.deepEqual(refused, [[id, 'storage full: database or disk is full']]);
    assert.deepEqual(
      (await store.readLogLines(id, { offset: 0, limit: 10 })).lines.map((l) => l.line),
      [1],
      'line 2 was buffered when the refusal came: dropped with the rest',
    );
    assert.equal(writer.pending, 0);
  });

  it('stores each line once when the database drops the connection before or after a commit landed', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    const cuts = { left: 2, after: true };
    const committed: number[] = [];
    const writer = createLogWriter(cuttingStore(store, cuts), {
      flushMs: 60_000,
      batchLines: 1_000,
      onCommitted: (_id, lines) => committed.push(...lines.map((l) => l.line)),
      onFailed: (_id, error) => assert.fail(`no failure: ${String(error)}`),
      outage: createDatabaseOutage({ clock: systemClock, logger: quiet, retryMs: 1 }),
    });
    for (const n of [1, 2, 3]) writer.add(id, line(n));
    await writer.flush();
    Object.assign(cuts, { left: 3, after: false });
    for (const n of [4, 5]) writer.add(id, line(n));
    await writer.flush();
    assert.equal(cuts.left, 0);
    assert.deepEqual(committed, [1, 2, 3, 4, 5]);
    assert.deepEqual(
      (await store.readLogLines(id, { offset: 0, limit: 10 })).lines.map((l) => l.line),
      [1, 2, 3, 4, 5],
    );
    assert.equal(writer.pending, 0);
    assert.equal(writer.pendingChars, 0);
  });

  it('drops lines past the bound of held text, with every later line of the execution, and says so once', async () => {
    const { id } = await store.createExecution(newExecution(), 1_000);
    const overflowed: number[] = [];
    const writer = createLogWriter(store, {
      flushMs: 60_000,
      batchLines: 1_000,
      onCommitted: () => {},
      onFailed: () => assert.fail('no failure'),
      maxPendingChars: 20,
      onOverflow: (executionId) => overflowed.push(executionId),
    });
    // "line N" is 6 characters: 18 held after three, 24 after four, and the fifth is past the bound.
    for (const n of [1, 2, 3, 4, 5, 6]) writer.add(id, line(n));
    assert.deepEqual(overflowed, [id]);
    await writer.flush();
    assert.deepEqual(
      (await store.readLogLines(id, { offset: 0, limit: 10 })).lines.map((l) => l.line),
      [1, 2, 3, 4],
    );
  });

  it('merges the batches cut while a commit is in flight into the next commit, in order, up to 16 batches', async () => {
    const a = (await store.createExecution(newExecution(), 1_000)).id;
    const b = (await store.createExecution(newExecution(), 1_000)).id;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sizes: number[] = [];
    const slow = new Proxy(store, {
      get(target, property) {
        if (property === 'appendLogLines')
          return async (executionId: number, lines: readonly LogLine[]) => {
            sizes.push(lines.length);
            await gate;
            await target.appendLogLines(executionId, lines);
          };
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const writer = createLogWriter(slow, {
      flushMs: 60_000,
      batchLines: 10,
      onCommitted: () => {},
      onFailed: () => assert.fail('no failure'),
    });
    // The first cut (10 lines of a) commits alone; 20 more batches queue behind it while it waits on the gate.
    for (let n = 1; n <= 10; n++) writer.add(a, line(n));
    await new Promise((resolve) => setImmediate(resolve));
    for (let n = 11; n <= 210; n++) writer.add(n % 2 === 0 ? a : b, line(n));
    release();
    await writer.flush();
    // 16 queued batches (160 lines, split by execution) make one commit; the last 4 batches (40 lines) the next.
    assert.deepEqual(sizes, [10, 80, 80, 20, 20]);
    const stored = async (id: number) =>
      (await store.readLogLines(id, { offset: 0, limit: 500 })).lines.map((l) => l.line);
    const expectedA = [...Array.from({ length: 10 }, (_, i) => i + 1)];
    for (let n = 11; n <= 210; n++) if (n % 2 === 0) expectedA.push(n);
    assert.deepEqual(await stored(a), expectedA);
    assert.deepEqual(
      await stored(b),
      Array.from({ length: 100 }, (_, i) => 11 + 2 * i),
    );
  });
});
