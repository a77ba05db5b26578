// Tests the artifact service wired into a real execution service: artifact_created, artifacts_count and warning line numbers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEventBus, type StepflowEvent } from '../../bus/event-bus.js';
import { systemClock } from '../../core/clock.js';
import { runExecution } from '../../runner/run-execution.js';
import { openSqliteStore } from '../../store/sqlite/open-sqlite-store.js';
import type { Store } from '../../store/store.js';
import { createExecutionService } from '../execution-service.js';
import { createArtifactService } from './artifact-service.js';

const quiet = { info() {}, warn() {}, error() {} };

describe('createArtifactService', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-artifact-service-'));
    store = await openSqliteStore({ storagePath: join(dir, 'storage'), cacheSizeKib: 1024, walAutocheckpoint: 1000 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes artifact_created before execution_completed, which counts it; a missing file warns after the last line', async () => {
    const bus = createEventBus();
    const events: StepflowEvent[] = [];
    bus.subscribe((event) => void events.push(event));
    const artifacts = createArtifactService({
      store,
      bus,
      clock: systemClock,
      logger: quiet,
      artifactPath: join(dir, 'storage', 'artifacts'),
      artifactRoots: [],
      maxArtifactBytes: 1024,
    });
    const settings = {
      maxConcurrent: 1,
      killGraceMs: 500,
      markerMode: 'line_start' as const,
      defaultWorkingDirectory: dir,
      logFlushMs: 10,
      logBatchLines: 100,
      storagePath: join(dir, 'storage'),
    };
    const service = createExecutionService(
      {
        store,
        bus,
        clock: systemClock,
        logger: quiet,
        launch: runExecution,
        killOrphanGroup: () => false,
        baseEnvironment: process.env,
        settings,
      },
      artifacts.openRun,
    );
    writeFileSync(join(dir, 'kept.txt'), 'kept');
    const record = await service.create({
      command: 'echo ARTIFACT:kept.txt; echo ARTIFACT:gone.txt; echo done',
      working_directory: dir,
    });
    for (let tries = 0; !events.some((event) => event.type === 'execution_completed'); tries++) {
      assert.ok(tries < 1500, 'the execution never completed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await service.shutdown();

    const kinds = events
      .map((event) => event.type)
      .filter((type) => type === 'artifact_created' || type === 'execution_completed');
    assert.deepEqual(kinds, ['artifact_created', 'execution_completed']);
    const completed = events.find((event) => event.type === 'execution_completed');
    assert.equal(completed?.type === 'execution_completed' && completed.artifacts_count, 1);
    const log = await store.readLogLines(record.id, { offset: 0, limit: 100 });
    assert.deepEqual(
      log.lines.map((line) => [line.line, line.stream, line.content]),
      [
        [1, 'stdout', 'ARTIFACT:kept.txt'],
        [2, 'stdout', 'ARTIFACT:gone.txt'],
        [3, 'stdout', 'done'],
        [4, 'system', 'warning: artifact "gone.txt" is missing: nothing was there when the execution ended'],
      ],
    );
  });
});
