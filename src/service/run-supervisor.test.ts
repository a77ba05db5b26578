// Tests the run supervisor through a real execution service, a real SQLite store and a real script: how often it writes progress.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEventBus } from '../bus/event-bus.js';
import { systemClock } from '../core/clock.js';
import { runExecution } from '../runner/run-execution.js';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store.js';
import type { Store } from '../store/store.js';
import { createExecutionService } from './execution-service.js';

const quiet = { info() {}, warn() {}, error() {} };

/** The store, with a count of the calls of each method. */
function countCalls(store: Store, calls: Map<string, number>): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('createRunSupervisor', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-supervisor-'));
    store = await openSqliteStore({ storagePath: dir, cacheSizeKib: 1024, walAutocheckpoint: 1000 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the execution and the open step once per flush interval, not once per META line (regression: the whole metadata stored per line)', async () => {
    const calls = new Map<string, number>();
    const bus = createEventBus();
    const ended = new Promise<void>((resolve) =>
      bus.subscribe((event) => event.type === 'execution_completed' && resolve()),
    );
    const settings = {
      maxConcurrent: 1,
      killGraceMs: 500,
      markerMode: 'line_start' as const,
      defaultWorkingDirectory: dir,
      logFlushMs: 50,
      logBatchLines: 1000,
      storagePath: dir,
    };
    const service = createExecutionService({
      store: countCalls(store, calls),
      bus,
      clock: systemClock,
      logger: quiet,
      launch: runExecution,
      killOrphanGroup: () => false,
      baseEnvironment: process.env,
      settings,
    });
    const lines = 3_000;
    const script = `BEGIN { for (i = 0; i < ${lines}; i++) print "META:k" (i % 50) ":v" i; print "STEP_START:Build"; for (i = 0; i < ${lines}; i++) print "META:s" (i % 50) ":v" i }`;
    const record = await service.create({ command: ['awk', script], working_directory: dir });
    await ended;
    await service.shutdown();

    const execution = await store.getExecution(record.id);
    const [step] = await store.listSteps(record.id);
    assert.equal(execution?.status, 'completed');
    assert.equal(Object.keys(execution?.metadata ?? {}).length, 50);
    assert.equal(execution?.metadata['k49'], `v${lines - 1}`);
    assert.equal(step?.metadata['s49'], `v${lines - 1}`);
    assert.ok(
      (calls.get('updateExecution') ?? 0) < 200,
      `${calls.get('updateExecution')} execution writes for ${lines} META lines`,
    );
    assert.ok((calls.get('saveStep') ?? 0) < 200, `${calls.get('saveStep')} step writes for ${lines} META lines`);
  });

  it("publishes a step's lines only after its step_updated (regression: a log_batch line carried step_index 0 and step_id null)", async () => {
    const bus = createEventBus();
    const seen: string[] = [];
    const stepsKnown = new Set<number>();
    const ended = new Promise<void>((resolve) =>
      bus.subscribe((event) => {
        if (event.type === 'step_updated') stepsKnown.add(event.step.index);
        if (event.type === 'log_lines') {
          for (const line of event.lines)
            if (line.step_index !== null && !stepsKnown.has(line.step_index)) seen.push(line.content);
        }
        if (event.type === 'execution_completed') resolve();
      }),
    );
    // A store whose step writes are slower than a log flush: the order must come from the service, not from luck.
    const slowSteps = new Proxy(store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        if (key !== 'saveStep') return (value as (...a: unknown[]) => unknown).bind(target);
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const settings = {
      maxConcurrent: 1,
      killGraceMs: 500,
      markerMode: 'line_start' as const,
      defaultWorkingDirectory: dir,
      logFlushMs: 5,
      logBatchLines: 1000,
      storagePath: dir,
    };
    const service = createExecutionService({
      store: slowSteps,
      bus,
      clock: systemClock,
      logger: quiet,
      launch: runExecution,
      killOrphanGroup: () => false,
      baseEnvironment: process.env,
      settings,
    });
    await service.create({
      command: ['sh', '-c', 'echo STEP_START:One; echo a; echo STEP_START:Two; echo b'],
      working_directory: dir,
    });
    await ended;
    await service.shutdown();
    assert.deepEqual(seen, []);
  });
});
