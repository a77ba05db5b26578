// Artifact roots pinned at start, through a real server: a script replaces its working directory (or an artifact root) with a symlink to outside, then announces a file through it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireArtifact, WireLogLine } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const REPLACED =
  'was replaced after the execution started (renamed, removed or swapped for a symlink); nothing is kept from it';

/** Paths this process (the server under test) holds open. */
async function heldPaths(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target !== '');
}

describe('artifact roots replaced while the execution runs', () => {
  let server: TestServer;
  let base: string;
  let outside: string;
  let shared: string;
  const canary = `CANARY-${randomUUID()}`;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'stepflow-root-swap-'));
    outside = join(base, 'outside');
    shared = join(base, 'shared');
    await mkdir(outside);
    await mkdir(shared);
    await writeFile(join(outside, 'canary.txt'), `${canary}\n`);
    server = await startServer({ artifactRoots: [shared] });
  });
  after(async () => {
    await server.close();
    await rm(base, { recursive: true, force: true });
  });

  async function run(
    work: string,
    swapped: string,
    announced: string,
  ): Promise<{ artifacts: WireArtifact[]; warnings: string[]; status: string }> {
    const id = await server.create({
      command: [`${FIXTURES}/swap-root-for-symlink.sh`, swapped, announced],
      working_directory: work,
      environment: { OUTSIDE_DIR: outside },
    });
    const { execution } = await server.waitForEnd(id);
    const detail = await server.request<{ artifacts: WireArtifact[] }>('GET', `/api/executions/${id}`);
    const lines: WireLogLine[] = await server.allLines(id);
    return {
      artifacts: detail.body.data!.artifacts,
      warnings: lines.filter((line) => line.stream === 'system').map((line) => line.content),
      status: execution.status,
    };
  }

  // Regression: the working directory was opened by path at each collection, and its real path (now the outside directory) counted as allowed.
  it('keeps nothing when the script renames its working directory away and leaves a symlink to outside in its place', async () => {
    const work = join(base, 'work');
    await mkdir(work);
    const { artifacts, warnings, status } = await run(work, work, 'canary.txt');
    assert.equal(status, 'completed');
    assert.deepEqual(artifacts, [], 'the outside canary was not kept');
    assert.deepEqual(warnings, [`warning: artifact "canary.txt" refused: the working directory ${work} ${REPLACED}`]);
    const held = await heldPaths();
    assert.deepEqual(
      held.filter((path) => path.startsWith(work) || path.startsWith(outside)),
      [],
      'the pinned roots were closed when the execution ended',
    );
  });

  // Regression: the same for a STEPFLOW_ARTIFACT_ROOTS directory the script can replace.
  it('keeps nothing when the script replaces an artifact root with a symlink to outside', async () => {
    const work = join(base, 'work-2');
    await mkdir(work);
    const { artifacts, warnings } = await run(work, shared, join(shared, 'canary.txt'));
    assert.deepEqual(artifacts, [], 'the outside canary was not kept');
    assert.deepEqual(warnings, [
      `warning: artifact "${join(shared, 'canary.txt')}" refused: the artifact root ${shared} ${REPLACED}`,
    ]);
  });
});
