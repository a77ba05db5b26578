// Marker injection through long lines: the pieces a line over the 1 MiB cap is cut into are stored as text, never acted on.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireArtifact } from '../../src/core/wire-types.js';
import { startServer, type TestServer } from './harness.js';

const CAP = 1_048_576;

describe('marker injection through long lines', () => {
  let server: TestServer;
  let workdir: string;
  before(async () => {
    server = await startServer();
    workdir = mkdtempSync(join(tmpdir(), 'stepflow-injection-'));
  });
  after(async () => {
    await server.close();
    rmSync(workdir, { recursive: true, force: true });
  });

  it('stores continuation pieces that start with ARTIFACT: or STEP_ERROR: as plain numbered lines', async () => {
    const id = await server.create({
      command: `${join(import.meta.dirname, '../fixtures/scripts/long-line-marker-injection.sh')}`,
      working_directory: workdir,
    });
    const { execution, steps } = await server.waitForEnd(id, 60_000);
    assert.equal(
      execution.status,
      'completed',
      `the injected STEP_ERROR failed the critical step: ${execution.error_message}`,
    );
    assert.deepEqual(
      steps.map((step) => [step.name, step.status]),
      [['Deploy', 'completed']],
    );
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    assert.deepEqual(detail.body.data?.artifacts, [], 'the injected ARTIFACT stored secrets.env');
    const lines = await server.allLines(id);
    assert.deepEqual(
      lines.map((line) => [line.line, line.stream, line.content.length]),
      [
        [1, 'stdout', 'STEP_START:Deploy[stop_on_error=true]'.length],
        [2, 'stdout', CAP],
        [3, 'stdout', 'ARTIFACT:secrets.env:x'.length],
        [4, 'stdout', CAP],
        [5, 'stdout', 'STEP_ERROR:injected'.length],
        [6, 'stdout', 'STEP_COMPLETE:Deploy'.length],
      ],
    );
    assert.equal(lines[2]?.content, 'ARTIFACT:secrets.env:x');
    assert.equal(lines[4]?.content, 'STEP_ERROR:injected');
  });
});
