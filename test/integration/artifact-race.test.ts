// Artifacts under attack through a real server: a script swaps a parent directory for a symlink to an outside directory while StepFlow collects.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import type { WireArtifact, WireLogLine } from '../../src/core/wire-types.js';
import { FIXTURES, startServer, type TestServer } from './harness.js';

const ATTEMPTS = 100;

/** Polls `check` until it gives something truthy; a deadline turns a stuck fixture into a failure instead of a hang. */
async function waitFor<T>(check: () => Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

describe('artifact collection racing a symlink swap', () => {
  let server: TestServer;
  let base: string;
  let outside: string;
  const canary = `CANARY-${randomUUID()}`;
  // The server runs in this process: an error escaping the packing (as tar's did on a vanished entry) would crash a real one.
  const uncaught: string[] = [];
  const recordUncaught = (error: Error) => void uncaught.push(error.message);
  before(async () => {
    process.on('uncaughtException', recordUncaught);
    server = await startServer();
    base = await mkdtemp(join(tmpdir(), 'stepflow-race-'));
    outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), `${canary}\n`);
  });
  after(async () => {
    process.off('uncaughtException', recordUncaught);
    await server.close();
    await rm(base, { recursive: true, force: true });
  });

  async function artifactsOf(id: string): Promise<WireArtifact[]> {
    const response = await server.request<{ artifacts: WireArtifact[] }>(
      'GET',
      `/api/artifacts?execution_id=${id}&limit=1000`,
    );
    return response.body.data!.artifacts;
  }

  /** Runs the race fixture, waits until every announcement was tried while the swapping went on, then lets the script end. */
  async function race(
    work: string,
    announced: string,
    swapped: string,
  ): Promise<{ artifacts: WireArtifact[]; lines: WireLogLine[] }> {
    const command = [`${FIXTURES}/artifact-swap-race.sh`, announced, swapped, String(ATTEMPTS)];
    const id = await server.create({
      command,
      working_directory: work,
      environment: { NODE_BIN: process.execPath, OUTSIDE_DIR: outside },
    });
    // Artifacts are collected one after another in announcement order, so done.txt being kept means every attempt before it ran.
    await waitFor(
      async () => (await artifactsOf(id)).some((artifact) => artifact.name === 'done.txt'),
      'done.txt to be kept',
    );
    // Opening a FIFO without blocking fails (ENXIO) until the script is reading it.
    const stop = await waitFor(
      () => open(join(work, 'stop.fifo'), constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null),
      'the script to wait on stop.fifo',
    );
    await stop.write('stop\n');
    await stop.close();
    await server.waitForEnd(id, 60_000);
    return { artifacts: await artifactsOf(id), lines: await server.allLines(id) };
  }

  async function leaked(artifacts: WireArtifact[]): Promise<string[]> {
    const found: string[] = [];
    for (const artifact of artifacts) {
      const bytes = Buffer.from(await (await fetch(`${server.url}${artifact.download_url}`)).arrayBuffer());
      const content = artifact.file_name.endsWith('.tar.gz') ? gunzipSync(bytes) : bytes;
      if (content.includes(canary)) found.push(`${artifact.id} ${artifact.file_name}`);
    }
    return found;
  }

  function summary(artifacts: WireArtifact[], lines: WireLogLine[], leaks: string[]): string {
    const refusals = lines.filter((line) => line.stream === 'system').length;
    const swaps = lines.find((line) => line.content.startsWith('swapped '))?.content ?? 'no swap count';
    return `${leaks.length} of ${artifacts.length - 1} kept artifacts leaked the outside canary (${refusals} warnings, ${swaps})`;
  }

  it('never keeps an outside file when the parent directory of an announced file is swapped for a symlink', async (t) => {
    const work = await mkdtemp(join(base, 'file-'));
    await mkdir(join(work, 'flip'));
    await writeFile(join(work, 'flip', 'secret.txt'), 'inside\n');
    const { artifacts, lines } = await race(work, 'flip/secret.txt', 'flip');
    const leaks = await leaked(artifacts);
    t.diagnostic(summary(artifacts, lines, leaks));
    assert.deepEqual(leaks, [], summary(artifacts, lines, leaks));
    assert.ok(artifacts.length > 1, `the race kept nothing, so it proved nothing: ${summary(artifacts, lines, leaks)}`);
    assert.deepEqual(uncaught, [], 'no error escaped the collection');
  });

  it('never packs an outside file when a directory inside an announced directory is swapped for a symlink', async (t) => {
    const work = await mkdtemp(join(base, 'dir-'));
    await mkdir(join(work, 'pack', 'sub'), { recursive: true });
    await writeFile(join(work, 'pack', 'sub', 'secret.txt'), 'inside\n');
    const { artifacts, lines } = await race(work, 'pack', 'pack/sub');
    const leaks = await leaked(artifacts);
    t.diagnostic(summary(artifacts, lines, leaks));
    assert.deepEqual(leaks, [], summary(artifacts, lines, leaks));
    assert.ok(artifacts.length > 1, `the race kept nothing, so it proved nothing: ${summary(artifacts, lines, leaks)}`);
    assert.deepEqual(uncaught, [], 'no error escaped the collection');
  });
});
