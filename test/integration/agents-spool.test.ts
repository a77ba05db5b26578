// A full spool pauses a real script on a real agent while its server is unreachable; nothing is lost or stored twice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnAgent, startCuttingProxy, type AgentProcess, type CuttingProxy } from './agent-process.js';
import { startServer, waitUntil, type TestServer } from './harness.js';

const LINES = 3000;
const PAD = 'x'.repeat(100);
// Says it started, waits while the test takes the server away, then prints fast, noting how far it got in a file.
const SCRIPT = `echo started; sleep 1.5; i=0; while [ $i -lt ${LINES} ]; do i=$((i+1)); echo "$i ${PAD}"; echo $i > progress; done`;

let server: TestServer;
let proxy: CuttingProxy;
let agent: AgentProcess;
after(async () => {
  await agent?.kill();
  await proxy?.close();
  await server?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('agents: a full spool pauses the script', () => {
  it('blocks the script while the server is unreachable, then stores every line once, in order', async () => {
    server = await startServer({ localExecutor: false, agentLostSeconds: 60 });
    proxy = await startCuttingProxy(() => server.app.port);
    // About 50 KiB of spool: some 450 of the script's lines.
    agent = await spawnAgent(`http://127.0.0.1:${proxy.port}`, 'tiny-spool', [
      '--labels',
      'spool',
      '--spool-mb',
      '0.05',
    ]);
    const id = await server.create({ command: SCRIPT, runs_on: ['spool'] });
    await waitUntil('the first line to be stored', async () =>
      (await server.allLines(id)).some((line) => line.content === 'started') ? true : undefined,
    );
    proxy.setDown(true);
    await waitUntil('the spool to fill', async () => (agent.output().includes('pausing scripts') ? true : undefined));
    const progress = join(agent.workDir, 'runs', id, 'progress');
    const reached = (): number => Number(readFileSync(progress, 'utf8'));
    await sleep(1500);
    const first = reached();
    await sleep(1500);
    assert.equal(reached(), first, 'the script does not advance while the spool is full');
    assert.ok(first < LINES, `the script is blocked before its end (at ${first} of ${LINES})`);
    const now = await server.request<{ execution: { status: string } }>('GET', `/api/executions/${id}`);
    assert.equal(now.body.data!.execution.status, 'running');

    proxy.setDown(false);
    const end = await server.waitForEnd(id, 60_000);
    assert.equal(end.execution.status, 'completed', String(end.execution.error_message));
    const lines = await server.allLines(id);
    assert.deepEqual(
      lines.map((line) => line.line),
      lines.map((_, i) => i + 1),
      'line numbers 1..n without gaps or repeats',
    );
    const printed = lines.filter((line) => line.stream === 'stdout').map((line) => line.content);
    assert.deepEqual(printed, ['started', ...Array.from({ length: LINES }, (_, i) => `${i + 1} ${PAD}`)]);
  });
});
