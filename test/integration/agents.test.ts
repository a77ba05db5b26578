// Remote agents end to end: real `stepflow agent` processes on loopback, each with its own work dir, against a real server.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { WireExecution, WireLogLine } from '../../src/core/wire-types.js';
import { spawnAgent, startCuttingProxy, type AgentProcess } from './agent-process.js';
import { FIXTURES, freePort, processAlive, startServer, waitUntil, type TestServer } from './harness.js';
import { spawnServer } from './server-process.js';

// The servers of the first suites run in this process: their temporary files land here, apart from other test files'.
const serverTmp = mkdtempSync(join(tmpdir(), 'agents-test-'));
process.env.TMPDIR = serverTmp;

const agents: AgentProcess[] = [];
after(async () => {
  await Promise.all(agents.map((agent) => agent.kill()));
});

async function agent(url: string, name: string, labels: string, concurrency = 4): Promise<AgentProcess> {
  const started = await spawnAgent(url, name, ['--labels', labels, '--concurrency', String(concurrency)]);
  agents.push(started);
  return started;
}

function numbered(count: number, runsOn: string[]): Record<string, unknown> {
  return { command: ['./print-numbered.sh', String(count)], working_directory: FIXTURES, runs_on: runsOn };
}

async function execution(server: TestServer, id: string): Promise<WireExecution> {
  return (await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`)).body.data!.execution;
}

async function storedLines(server: TestServer, id: string): Promise<number> {
  return (await server.request<{ total_lines: number }>('GET', `/api/executions/${id}/logs?limit=1`)).body.data!
    .total_lines;
}

/** Every line number 1..n once, in order, and the script's numbers 1..count once, in order. */
function assertExactlyOnce(lines: WireLogLine[], count: number): void {
  assert.deepEqual(
    lines.map((line) => line.line),
    lines.map((_, i) => i + 1),
    'line numbers are 1..n without gaps or repeats',
  );
  const printed = lines.filter((line) => line.stream === 'stdout').map((line) => Number(line.content));
  assert.equal(printed.length, count, 'every printed line is stored once');
  assert.ok(
    printed.every((value, i) => value === i + 1),
    'in the order printed',
  );
}

describe('agents: routing, cancel, timeout, loss', () => {
  let server: TestServer;
  let gpu: AgentProcess;

  it('routes runs_on executions only to an agent with every label, and says where each ran', async () => {
    server = await startServer({ localExecutor: false, agentLostSeconds: 2 });
    await agent(server.url, 'cpu-box', 'linux');
    gpu = await agent(server.url, 'gpu-box', 'linux,gpu');
    const onGpu = await server.create(numbered(20, ['gpu']));
    const nowhere = await server.create(numbered(20, ['linux', 'arm']));
    const anywhere = await server.create(numbered(20, []));
    const gpuRun = await server.waitForEnd(onGpu);
    assert.equal(gpuRun.execution.status, 'completed');
    assert.equal((await execution(server, onGpu)).agent, 'gpu-box');
    assert.equal((await server.waitForEnd(anywhere)).execution.status, 'completed');
    assert.ok(['cpu-box', 'gpu-box'].includes((await execution(server, anywhere)).agent ?? ''));
    assert.equal((await execution(server, nowhere)).status, 'pending', 'no agent has both linux and arm');
    assert.equal((await server.request('POST', `/api/executions/${nowhere}/cancel`)).status, 200);
    assert.equal((await execution(server, nowhere)).status, 'cancelled');
    assertExactlyOnce(await server.allLines(onGpu), 20);
    const listed = (await server.request<{ name: string; labels: string[]; status: string }[]>('GET', '/api/agents'))
      .body.data!;
    assert.deepEqual(listed.map((a) => [a.name, a.labels, a.status]).sort(), [
      ['cpu-box', ['linux'], 'idle'],
      ['gpu-box', ['linux', 'gpu'], 'idle'],
    ]);
  });

  it('cancels and times out an execution on an agent, stopping its process group', async () => {
    const cancelled = await server.create({
      command: './sleep-forever.sh',
      working_directory: FIXTURES,
      runs_on: ['gpu'],
    });
    await waitUntil('the agent to start it', async () =>
      (await execution(server, cancelled)).status === 'running' ? true : undefined,
    );
    const child = await waitUntil('the background child', async () => {
      const line = (await server.allLines(cancelled)).find((l) => l.content.startsWith('child '));
      return line ? Number(line.content.slice(6)) : undefined;
    });
    assert.deepEqual(
      readdirSync(serverTmp).filter((name) => name.startsWith('stepflow-summary-')),
      [],
      'the server makes no $GITHUB_STEP_SUMMARY file for a run on an agent (only a script on the server is given one)',
    );
    const answer = await server.request<{ execution: WireExecution }>('POST', `/api/executions/${cancelled}/cancel`);
    assert.equal(answer.body.data!.execution.status, 'cancelled');
    await waitUntil('the group to be stopped', async () => (processAlive(child) ? undefined : true));
    const timed = await server.create({
      command: './sleep-forever.sh',
      working_directory: FIXTURES,
      runs_on: ['gpu'],
      timeout: 1,
    });
    const end = await server.waitForEnd(timed);
    assert.deepEqual([end.execution.status, end.execution.error_message], ['failed', 'timed out after 1 s']);
  });

  it('uploads the file an ARTIFACT marker names on the agent, served like a local artifact', async () => {
    const id = await server.create({
      command:
        'printf "made on the agent\\n" > out.txt; echo STEP_START:Build; echo ARTIFACT:out.txt:the output; echo STEP_COMPLETE:Build',
      runs_on: ['gpu'],
    });
    assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
    const list = (
      await server.request<{
        artifacts: {
          id: string;
          name: string;
          step_id: string | null;
          description: string | null;
          download_url: string;
        }[];
      }>('GET', `/api/artifacts?execution_id=${id}`)
    ).body.data!.artifacts;
    assert.deepEqual(
      list.map((a) => [a.name, a.description, a.step_id !== null]),
      [['out.txt', 'the output', true]],
    );
    const download = await fetch(server.url + list[0]!.download_url);
    assert.equal(await download.text(), 'made on the agent\n');
  });

  it('fails the executions of an agent killed with SIGKILL as "agent lost", keeping the lines it sent', async () => {
    const id = await server.create(numbered(100_000, ['gpu']));
    await waitUntil('lines from the agent', async () => ((await storedLines(server, id)) >= 20 ? true : undefined));
    await gpu.kill('SIGKILL');
    const end = await server.waitForEnd(id, 20_000);
    assert.deepEqual([end.execution.status, end.execution.error_message], ['failed', 'agent lost: gpu-box']);
    assert.ok((await storedLines(server, id)) >= 20);
    const listed = (await server.request<{ name: string; status: string }[]>('GET', '/api/agents')).body.data!;
    assert.equal(listed.find((a) => a.name === 'gpu-box')?.status, 'lost');
    await server.close();
  });
});

describe('agents: exactly once through restarts and cut connections', () => {
  it('stores every line once, in order, when the server is killed with SIGKILL mid-run and started again', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'stepflow-agents-restart-'));
    const port = await freePort();
    const flags = ['--port', String(port), '--local-executor', 'false', '--agent-lost-seconds', '60'];
    let first = await spawnServer(storage, flags);
    // One execution each, so both agents stream when the server is killed.
    await agent(first.client.url, 'left', 'linux', 1);
    await agent(first.client.url, 'right', 'linux', 1);
    const ids = [
      await first.client.create(numbered(3000, ['linux'])),
      await first.client.create(numbered(3000, ['linux'])),
    ];
    await waitUntil('both to stream', async () =>
      (await Promise.all(ids.map((id) => storedLines(first.client, id)))).every((n) => n >= 200) ? true : undefined,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    first = await spawnServer(storage, flags);
    for (const id of ids) {
      const end = await first.client.waitForEnd(id, 60_000);
      assert.equal(end.execution.status, 'completed', `execution ${id}: ${end.execution.error_message}`);
      assertExactlyOnce(await first.client.allLines(id), 3000);
    }
    const holders = await Promise.all(ids.map(async (id) => (await execution(first.client, id)).agent));
    assert.deepEqual(holders.sort(), ['left', 'right'], 'each agent ran one');
    await first.client.close();
  });

  it('stores every line once, in order, when a proxy cuts the agent connection several times', async () => {
    const server = await startServer({ localExecutor: false, agentLostSeconds: 30 });
    const proxy = await startCuttingProxy(() => server.app.port);
    await agent(`http://127.0.0.1:${proxy.port}`, 'behind-proxy', 'cut');
    const id = await server.create(numbered(3000, ['cut']));
    let seen = 0;
    for (let cut = 0; cut < 4; cut++) {
      seen = await waitUntil(
        'more lines',
        async () => {
          const n = await storedLines(server, id);
          return n > seen + 100 ? n : undefined;
        },
        30_000,
      );
      proxy.cut();
    }
    const end = await server.waitForEnd(id, 60_000);
    assert.equal(end.execution.status, 'completed', String(end.execution.error_message));
    assertExactlyOnce(await server.allLines(id), 3000);
    await proxy.close();
    await server.close();
  });
});
