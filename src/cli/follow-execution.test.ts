// Unit tests for following an execution: resume after a drop without duplicates or gaps, REST catch-up, polling fallback.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireLogLine, WireLogPage } from '../core/wire-types.js';
import { ApiError, type ApiClient, type Query } from './api-client.js';
import { wireExecution, wireLine, wireStep } from './cli-test-fixtures.js';
import { followExecution } from './follow-execution.js';

type Rest = (path: string, query: Query) => unknown;

function fakeClient(wsUrl: string, rest: Rest): ApiClient {
  return {
    baseUrl: 'http://fake',
    get: async <T>(path: string, query: Query = {}) => rest(path, query) as T,
    post: async () => {
      throw new Error('not used');
    },
    download: async () => {
      throw new Error('not used');
    },
    websocketUrl: () => wsUrl,
    authHeaders: {},
  };
}

function logPage(lines: WireLogLine[]): WireLogPage {
  return {
    execution_id: '7',
    lines,
    offset: 0,
    limit: 10_000,
    total_lines: lines.length,
    has_more: false,
    is_running: false,
  };
}

/** REST that knows the final execution and every stored line (1..total). */
function storedRest(total: number, detail = { execution: wireExecution(), steps: [wireStep()], artifacts: [] }): Rest {
  return (path, query) => {
    if (path === '/api/executions/7') return detail;
    const offset = Number(query.offset);
    return logPage(Array.from({ length: Math.max(0, total - offset) }, (_, i) => wireLine(offset + i + 1)));
  };
}

const send = (socket: WebSocket, type: string, data: Record<string, unknown>): void =>
  socket.send(JSON.stringify({ type, data: { execution_id: 7, ...data }, timestamp: new Date().toISOString() }));

const running = wireExecution({ status: 'running', completed_at: null });
const servers: { close(): void }[] = [];
after(() => servers.forEach((server) => server.close()));

/** A feed whose nth connection (0-based) is scripted by `script`, which also sees the subscribe message. */
async function scriptedFeed(
  script: (socket: WebSocket, n: number, subscribe: { from_line: number }) => void,
): Promise<{ url: string; subscribes: number[] }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  const subscribes: number[] = [];
  let n = 0;
  wss.on('connection', (socket) => {
    const index = n++;
    socket.once('message', (raw) => {
      const data = (JSON.parse(String(raw)) as { data: { from_line: number } }).data;
      subscribes.push(data.from_line);
      script(socket, index, data);
    });
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws`, subscribes };
}

describe('followExecution', () => {
  it('resumes after a dropped socket from the last line, with no duplicates and no gaps', async () => {
    const feed = await scriptedFeed((socket, n) => {
      send(socket, 'subscribed', { execution: running, steps: [], last_line: 0 });
      if (n === 0) {
        send(socket, 'log_batch', { lines: [1, 2, 3].map((i) => wireLine(i)) });
        setTimeout(() => socket.terminate(), 20);
        return;
      }
      send(socket, 'log_batch', { lines: [2, 3, 4, 5, 6].map((i) => wireLine(i)) });
      send(socket, 'execution_completed', { status: 'completed', exit_code: 0 });
    });
    const seen: number[] = [];
    const notices: string[] = [];
    const result = await followExecution({
      client: fakeClient(feed.url, storedRest(8)),
      executionId: 7,
      fromLine: 0,
      handlers: { onLine: (line) => seen.push(line.line), onNotice: (message) => notices.push(message) },
    });
    assert.deepEqual(feed.subscribes, [0, 3]);
    // Lines 7 and 8 were never sent on the socket: the final REST read supplies them.
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(result.execution.status, 'completed');
    assert.match(notices[0] ?? '', /resuming after line 3/);
  });

  // Regression: output for a slow pipe reader piled up in memory while the feed kept being read.
  it('stops reading while the output has no room, and resumes quietly after the server drops it for that', async () => {
    let dropped = (): void => undefined;
    const drop = new Promise<void>((resolve) => (dropped = resolve));
    const feed = await scriptedFeed((socket, n) => {
      send(socket, 'subscribed', { execution: running, steps: [], last_line: 0 });
      if (n === 0) {
        send(socket, 'log_batch', { lines: [wireLine(1), wireLine(2)] });
        send(socket, 'log_batch', { lines: [wireLine(3)] });
        // The server cuts a client that stopped reading; the output gets room again only after that.
        setTimeout(() => {
          socket.terminate();
          dropped();
        }, 20);
        return;
      }
      send(socket, 'log_batch', { lines: [wireLine(3), wireLine(4)] });
      send(socket, 'execution_completed', { status: 'completed' });
    });
    const seen: number[] = [];
    const notices: string[] = [];
    const seenWhenFull: number[][] = [];
    const waitForRoom = (): Promise<void> | null => {
      if (seenWhenFull.length > 0) return null;
      seenWhenFull.push([...seen]);
      return drop;
    };
    await followExecution({
      client: fakeClient(feed.url, storedRest(4)),
      executionId: 7,
      fromLine: 0,
      handlers: { onLine: (line) => seen.push(line.line), onNotice: (message) => notices.push(message), waitForRoom },
    });
    assert.deepEqual(seenWhenFull, [[1, 2]]);
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual(notices, []);
  });

  it('fills a hole between batches from REST', async () => {
    const feed = await scriptedFeed((socket) => {
      send(socket, 'subscribed', { execution: running, steps: [], last_line: 0 });
      send(socket, 'log_batch', { lines: [wireLine(1), wireLine(2)] });
      send(socket, 'log_batch', { lines: [wireLine(5), wireLine(6)] });
      send(socket, 'execution_completed', { status: 'completed' });
    });
    const seen: number[] = [];
    await followExecution({
      client: fakeClient(feed.url, storedRest(6)),
      executionId: 7,
      fromLine: 0,
      handlers: { onLine: (line) => seen.push(line.line) },
    });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  });

  it("hands on only the chosen step's lines when a step id is given", async () => {
    const feed = await scriptedFeed((socket) => {
      send(socket, 'subscribed', { execution: running, steps: [], last_line: 0 });
      send(socket, 'log_batch', { lines: [wireLine(1), wireLine(2, 'in step', { step_id: '4' }), wireLine(3)] });
      send(socket, 'execution_completed', { status: 'completed' });
    });
    const seen: string[] = [];
    await followExecution({
      client: fakeClient(feed.url, storedRest(3)),
      executionId: 7,
      fromLine: 0,
      stepId: '4',
      handlers: { onLine: (line) => seen.push(line.content) },
    });
    assert.deepEqual(seen, ['in step']);
  });

  it("fails with the server's error for an unknown execution", async () => {
    const feed = await scriptedFeed((socket) =>
      send(socket, 'error', { error_code: 'execution_not_found', error_message: 'execution 7 not found' }),
    );
    await assert.rejects(
      followExecution({
        client: fakeClient(feed.url, storedRest(0)),
        executionId: 7,
        fromLine: 0,
        handlers: { onLine: () => {} },
      }),
      (err: unknown) => err instanceof ApiError && err.code === 'execution_not_found',
    );
  });

  it('polls over REST when the server has no live feed', async () => {
    const http: Server = createServer((_request, response) => response.writeHead(404).end());
    servers.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    let polls = 0;
    const rest: Rest = (path, query) => {
      if (path === '/api/executions/7') {
        polls += 1;
        const ended = polls > 2;
        return {
          execution: ended ? wireExecution({ completed_at: '2000-01-01T00:00:00.000Z' }) : running,
          steps: [],
          artifacts: [],
        };
      }
      // Two lines while running, four once ended.
      const total = polls > 2 ? 4 : 2;
      const offset = Number(query.offset);
      return logPage(Array.from({ length: Math.max(0, total - offset) }, (_, i) => wireLine(offset + i + 1)));
    };
    const seen: number[] = [];
    const notices: string[] = [];
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
    const result = await followExecution({
      client: fakeClient(url, rest),
      executionId: 7,
      fromLine: 0,
      pollIntervalMs: 10,
      handlers: { onLine: (line) => seen.push(line.line), onNotice: (message) => notices.push(message) },
    });
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.equal(result.execution.status, 'completed');
    assert.match(notices[0] ?? '', /HTTP 404.*polling/);
  });
});
