// Tests for the log search use case against a real SQLite store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../core/app-error.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { LogLine } from '../core/log-line.js';
import { newExecution, newStep } from '../store/store-contract-fixtures.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { visibleText } from '../core/visible-text.js';
import { searchLog } from './search-log.js';

const line = (n: number, content: string, stepIndex: number | null = null): LogLine => ({
  line: n,
  ts: 1_000 + n,
  stream: 'stdout',
  step_index: stepIndex,
  content,
});

describe('visibleText', () => {
  it('drops escapes and keeps only what follows the last carriage return', () => {
    assert.equal(visibleText('\x1b[31mprogress 10%\rprogress 50%\r'), 'progress 50%');
  });
});

describe('searchLog', () => {
  let dir: string;
  let store: Store;
  let record: ExecutionRecord;
  let stepId: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-search-log-'));
    store = await openSqliteStore({ storagePath: dir, cacheSizeKib: 1024, walAutocheckpoint: 1000 });
    record = await store.createExecution(newExecution(), 1_000);
    stepId = (await store.saveStep(record.id, newStep(0, { first_line: 2, last_line: 3 }))).id;
    await store.appendLogLines(record.id, [
      line(1, 'before'),
      line(2, '\x1b[1mBOLD\x1b[0m needle', 0),
      { ...line(3, 'NEEDLE again', 0), stream: 'stderr' },
      line(4, 'nee\x1b[0mdle split by an escape'),
    ]);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the text case-insensitively over visible text, with offsets and line numbers', async () => {
    const found = await searchLog(store, record, { query: 'needle', max_matches: 10 });
    assert.deepEqual(
      { offsets: found.offsets, lines: found.lines, total: found.total_matches, searched: found.searched_lines },
      { offsets: [1, 2, 3], lines: [2, 3, 4], total: 3, searched: 4 },
    );
  });

  it('searches one step, with offsets within that step', async () => {
    const found = await searchLog(store, record, { query: 'needle', step_id: stepId, max_matches: 10 });
    assert.deepEqual(found.offsets, [0, 1]);
    assert.deepEqual(found.lines, [2, 3]);
  });

  it('counts every match but returns at most max_matches', async () => {
    const found = await searchLog(store, record, { query: 'needle', max_matches: 1 });
    assert.deepEqual(
      { lines: found.lines, total: found.total_matches, truncated: found.truncated },
      { lines: [2], total: 3, truncated: true },
    );
  });

  it('searches one stream, with offsets within that stream', async () => {
    const found = await searchLog(store, record, { query: 'needle', stream: 'stderr', max_matches: 10 });
    assert.deepEqual(
      { offsets: found.offsets, lines: found.lines, searched: found.searched_lines },
      { offsets: [0], lines: [3], searched: 1 },
    );
  });

  it('refuses a step of another execution as step_not_found', async () => {
    await assert.rejects(
      searchLog(store, record, { query: 'x', step_id: stepId + 1000, max_matches: 1 }),
      (error: unknown) => error instanceof AppError && error.code === 'step_not_found',
    );
  });
});
