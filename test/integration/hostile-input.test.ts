// Hostile input: malformed REST requests, WebSocket abuse, endless lines and fork bombs never crash, hang or bloat the server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { detectProcessLimitSupport } from '../../src/runner/limit-processes.js';
import { processAlive, startServer, waitUntil, type TestServer } from './harness.js';
import { connectWs, type WsTestClient } from './ws-test-client.js';

const NASTY = [
  "' OR 1=1--",
  '"; DROP TABLE executions; --',
  '../../../etc/passwd',
  '%00',
  'a\u0000b',
  '\u0001\u001b[31m',
  '*',
  '%',
  '_',
  '\\',
  '😀',
  'x'.repeat(5000),
];

function assertClean(what: string, response: { status: number; headers: Headers; body: unknown }): void {
  assert.ok(
    response.status < 500,
    `${what} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`,
  );
  assert.match(
    response.headers.get('content-type') ?? '',
    /application\/json/,
    `${what} answered ${response.headers.get('content-type')}`,
  );
}

describe('hostile REST input', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(async () => server.close());

  it('answers wrong types, unknown fields, NUL and control characters with a clean 4xx or a correct 201', async () => {
    const bodies: unknown[] = [
      { command: 5 },
      { command: [] },
      { command: [''] },
      { command: 'true', timeout: 'x' },
      { command: 'true', tags: 'x' },
      { command: 'true', environment: { A: 1 } },
      { command: 'true', bogus: 1 },
      [],
      null,
      'just a string',
      42,
      { command: 'echo a\u0000b' },
      { command: ['echo', 'a\u0000b'] },
      { command: 'true', name: 'n\u0000\u0001\u001b[2J' },
      { command: 'true', working_directory: '../../../../etc\u0000' },
      { command: 'true', environment: { 'A\u0000': 'b' } },
      { command: 'true', metadata: { deep: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown } },
    ];
    for (const body of bodies) {
      const response = await server.request(
        'POST',
        '/api/executions',
        body === null ? 'null' : typeof body === 'string' ? JSON.stringify(body) : body,
      );
      assertClean(`POST ${JSON.stringify(body).slice(0, 80)}`, response);
      if (response.status === 201)
        await server.waitForEnd((response.body.data as { execution_id: number }).execution_id);
    }
    for (const raw of ['{', '{"command":', '\u0000', '{"command":"true"}garbage'])
      assertClean(`POST raw ${JSON.stringify(raw)}`, await server.request('POST', '/api/executions', raw));
  });

  it('refuses a 10 MB body with 413', async () => {
    const response = await server.request('POST', '/api/executions', {
      command: 'true',
      name: 'x'.repeat(10 * 1024 * 1024),
    });
    assert.equal(response.status, 413);
    assertClean('10 MB body', response);
  });

  it('treats SQL and path metacharacters in every filter and id as data', async () => {
    const id = await server.create({ command: 'echo hello' });
    await server.waitForEnd(id);
    const paths: string[] = [];
    for (const nasty of NASTY) {
      const v = encodeURIComponent(nasty);
      paths.push(
        `/api/executions?status=${v}`,
        `/api/executions?user=${v}`,
        `/api/executions?q=${v}`,
        `/api/executions?tag=${v}`,
        `/api/executions?created_after=${v}`,
        `/api/executions?created_before=${v}`,
        `/api/executions/${v}`,
        `/api/executions/${v}/logs`,
        `/api/executions/${id}/logs?stream=${v}`,
        `/api/executions/${id}/logs?step_id=${v}`,
        `/api/executions/${id}/logs/search?q=${v}`,
        `/api/artifacts?artifact_type=${v}`,
        `/api/artifacts/${v}`,
        `/api/artifacts/${v}/download`,
      );
    }
    for (const n of [
      '-1',
      '0',
      '1e3',
      '0x10',
      '1.5',
      '99999999999999999999',
      '9007199254740993',
      'NaN',
      'Infinity',
      '',
    ]) {
      paths.push(
        `/api/executions?limit=${n}`,
        `/api/executions?offset=${n}`,
        `/api/executions/${id}/logs?limit=${n}&offset=${n}`,
        `/api/artifacts?limit=${n}&offset=${n}`,
        `/api/executions/${n}`,
      );
    }
    for (const path of paths) assertClean(`GET ${path.slice(0, 120)}`, await server.request('GET', path));
    const list = await server.request<{ total_count: number }>('GET', '/api/executions');
    assert.ok((list.body.data?.total_count ?? 0) >= 1, 'nothing was dropped or altered');
  });
});

describe('hostile WebSocket input', () => {
  let server: TestServer;
  let wsUrl: string;
  before(async () => {
    server = await startServer();
    wsUrl = server.url.replace(/^http/, 'ws') + '/ws';
  });
  after(async () => server.close());

  async function open(): Promise<WsTestClient> {
    const client = await connectWs(wsUrl);
    await client.waitFor('connection_established');
    return client;
  }

  async function subscriptions(): Promise<number> {
    const health = await server.request<{ websocket: { subscriptions: number } }>('GET', '/api/health');
    return health.body.data?.websocket.subscriptions ?? -1;
  }

  it('answers garbage and binary frames with errors and keeps the connection', async () => {
    const client = await open();
    for (const frame of [
      'not json',
      '{',
      '[]',
      'null',
      '42',
      '{"type":123}',
      '{"type":"subscribe","execution_id":"1; DROP"}',
      '{"type":"subscribe","execution_id":-1}',
      '{"type":"x","data":[]}',
      '\u0000',
    ])
      client.send(frame);
    client.socket.send(Buffer.from([0, 1, 2, 255]), { binary: true });
    client.send({ type: 'ping' });
    await client.waitFor('pong');
    assert.ok(client.messages.filter((m) => m.type === 'error').length >= 11);
    await client.close();
  });

  it('closes a client that sends an oversized frame and keeps serving others', async () => {
    const client = await open();
    client.send('x'.repeat(1024 * 1024));
    assert.equal((await client.closed).code, 1009);
    const other = await open();
    other.send({ type: 'ping' });
    await other.waitFor('pong');
    await other.close();
  });

  it('survives a flood of subscribe messages without keeping anything once the client leaves', async () => {
    const id = await server.create({ command: 'echo flood' });
    await server.waitForEnd(id);
    const client = await open();
    for (let i = 0; i < 5000; i++) client.send({ type: 'subscribe', execution_id: i % 2 === 0 ? id : i + 1 });
    client.send({ type: 'ping' });
    await client.waitFor('pong', () => true, 30_000);
    assert.ok((await subscriptions()) <= 100, 'the per-client subscription cap holds');
    await client.close();
    await waitUntil('the subscriptions to be released when the client left', async () =>
      (await subscriptions()) === 0 ? true : undefined,
    );
  });
});

describe('hostile scripts', () => {
  let server: TestServer;
  const support = detectProcessLimitSupport();
  before(async () => (server = await startServer({ maxProcesses: 40, killGraceSeconds: 0.5 })));
  after(async () => server.close());

  it('splits 100 MiB without a newline into 1 MiB lines with bounded memory, and completes', async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const { execution } = await server.waitForEnd(await server.create({ command: './no-newline-100mb.sh' }), 120_000);
      assert.equal(execution.status, 'completed');
    } finally {
      clearInterval(sampler);
    }
    const page = await server.request<{ total_lines: number }>(
      'GET',
      `/api/executions/${(await server.request<{ executions: { id: number }[] }>('GET', '/api/executions?limit=1')).body.data?.executions[0]?.id}/logs?limit=2&offset=99`,
    );
    assert.equal(page.body.data?.total_lines, 101, '100 pieces of 1 MiB and the line after');
    assert.ok(peak - baseline < 400 * 1024 * 1024, `RSS grew by ${Math.round((peak - baseline) / 1048576)} MiB`);
  });

  it(
    'caps a fork bomb at the configured process limit',
    { skip: support.ok ? false : `the process cap cannot be enforced here: ${support.ok ? '' : support.reason}` },
    async () => {
      const id = await server.create({ command: ['./fork-many.sh', '300'] });
      let pid = 0;
      for (let tries = 0; pid === 0; tries++) {
        assert.ok(tries < 400, 'the script never printed its pid');
        pid = Number((await server.allLines(id)).find((l) => l.content.startsWith('pid '))?.content.slice(4) ?? 0);
        await sleep(25);
      }
      // The shell retries a refused fork for a while, so watch the group instead of waiting for the script: until it
      // has come near the cap (however slow the machine), then 40 samples more while it keeps pushing against it.
      let most = 0;
      for (let i = 0, pushing = 0; i < 600 && pushing < 40; i++) {
        most = Math.max(most, groupMembers(pid).length);
        if (most >= 30) pushing++;
        await sleep(25);
      }
      assert.ok(most <= 40, `${most} processes ran though the cap is 40`);
      assert.ok(most >= 30, `only ${most} processes: the script did not really try`);
      // dash gives up when a fork is refused, so the run may already have ended (409) by now.
      const cancelled = await server.request('POST', `/api/executions/${id}/cancel`);
      assert.ok([200, 409].includes(cancelled.status), `cancel answered ${cancelled.status}`);
      await server.waitForEnd(id);
      for (let tries = 0; groupMembers(pid).length > 0; tries++) {
        assert.ok(tries < 200, 'processes outlived the cancelled run');
        await sleep(25);
      }
    },
  );

  it('escalates to SIGKILL when a script ignores SIGTERM', async () => {
    const id = await server.create({ command: './ignore-sigterm.sh' });
    for (let tries = 0; !(await server.allLines(id)).some((l) => l.content === 'ignoring SIGTERM'); tries++) {
      assert.ok(tries < 400);
      await sleep(25);
    }
    const response = await server.request<{ execution: { status: string } }>('POST', `/api/executions/${id}/cancel`);
    assert.equal(response.body.data?.execution.status, 'cancelled');
  });
});

/** Live processes of a process group. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid && processAlive(Number(entry)))
        members.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return members;
}
