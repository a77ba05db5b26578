// Starts a real StepFlow server on port 0 with a temporary storage directory, and talks to it over HTTP.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, type RunningApp, type StartOptions } from '../../src/app.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Clock } from '../../src/core/clock.js';
import { isTerminalStatus } from '../../src/core/execution.js';
import type { Envelope, WireExecution, WireLogLine, WireStep } from '../../src/core/wire-types.js';

/** Absolute path of the fixture scripts folder. */
export const FIXTURES = resolve(import.meta.dirname, '../fixtures/scripts');

/** A server under test plus small HTTP helpers. */
export interface TestServer {
  url: string;
  storage: string;
  app: RunningApp;
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Envelope<T>; headers: Headers }>;
  /** POSTs an execution and returns its id as the wire carries it (a string, asserting 201). */
  create(body: Record<string, unknown>): Promise<string>;
  /** Polls until the execution has ended, then returns it with its steps. */
  waitForEnd(id: string | number, timeoutMs?: number): Promise<{ execution: WireExecution; steps: WireStep[] }>;
  /** Reads the whole stored log through the paged API. */
  allLines(id: string | number): Promise<WireLogLine[]>;
  close(): Promise<void>;
}

/** Builds a test Config: port 0, a fresh temp storage dir, quiet logs, plus overrides. */
export function testConfig(storage: string, overrides: Partial<Config> = {}): Config {
  const base = loadConfig({
    flags: { port: 0, storagePath: storage, websocketPort: 0, logLevel: 'silent' },
    env: {},
    cwd: FIXTURES,
  });
  return Object.freeze({ ...base, ...overrides });
}

/** A clock that runs with real time plus an offset the test moves forward, so it can age executions without editing rows. */
export interface TestClock extends Clock {
  /** Moves every later reading `ms` milliseconds further ahead. */
  advance(ms: number): void;
}

/** Creates a TestClock that reads the system time until advanced. */
export function createTestClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

/** Starts a server in this process; call close() in an `after` hook. `start` adds startApp options (e.g. a test clock). */
export async function startServer(
  overrides: Partial<Config> = {},
  storageDir?: string,
  start: Omit<StartOptions, 'env'> = {},
): Promise<TestServer> {
  const storage = storageDir ?? mkdtempSync(join(tmpdir(), 'stepflow-it-'));
  const app = await startApp(testConfig(storage, overrides), { env: process.env, ...start });
  // With auth on, the helpers (create, waitForEnd, allLines) authenticate with the admin key; request() sends only what it is given.
  const authHeaders: Record<string, string> = overrides.apiKey ? { authorization: `Bearer ${overrides.apiKey}` } : {};
  return clientFor(
    app.url,
    storage,
    app,
    async () => {
      await app.close();
      if (!storageDir) rmSync(storage, { recursive: true, force: true });
    },
    authHeaders,
  );
}

/** HTTP helpers for a server at `url`. */
export function clientFor(
  url: string,
  storage: string,
  app: RunningApp,
  close: () => Promise<void>,
  authHeaders: Record<string, string> = {},
): TestServer {
  const server: TestServer = {
    url,
    storage,
    app,
    async request(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await fetch(url + path, init);
      const text = await response.text();
      const parsed = text.startsWith('{')
        ? JSON.parse(text)
        : { success: response.ok, data: text, error: null, timestamp: '' };
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async create(body) {
      const response = await server.request<{ execution_id: string }>('POST', '/api/executions', body, authHeaders);
      if (response.status !== 201 || !response.body.data)
        throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.data.execution_id;
    },
    async waitForEnd(id, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const response = await server.request<{ execution: WireExecution; steps: WireStep[] }>(
          'GET',
          `/api/executions/${id}`,
          undefined,
          authHeaders,
        );
        const data = response.body.data;
        if (data && isTerminalStatus(data.execution.status)) return data;
        if (Date.now() > deadline)
          throw new Error(`execution ${id} still ${data?.execution.status} after ${timeoutMs} ms`);
        await sleep(25);
      }
    },
    async allLines(id) {
      const lines: WireLogLine[] = [];
      for (let offset = 0; ; offset += 10_000) {
        const page = await server.request<{ lines: WireLogLine[]; has_more: boolean }>(
          'GET',
          `/api/executions/${id}/logs?offset=${offset}&limit=10000`,
          undefined,
          authHeaders,
        );
        lines.push(...(page.body.data?.lines ?? []));
        if (!page.body.data?.has_more) return lines;
      }
    },
    close,
  };
  return server;
}

/** True while a process exists and is not a zombie (PID 1 here reaps slowly, see stack-evaluation §8). */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` until it returns a value other than undefined; fails naming `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Polls until the execution reaches `status`; fails naming the status it is in after `timeoutMs`. */
export async function waitForStatus(
  server: TestServer,
  id: string,
  status: string,
  timeoutMs = 10_000,
): Promise<WireExecution> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.request<{ execution: WireExecution }>('GET', `/api/executions/${id}`);
    const execution = response.body.data?.execution;
    if (execution?.status === status) return execution;
    if (Date.now() > deadline) throw new Error(`execution ${id} is ${execution?.status}, not ${status}`);
    await sleep(20);
  }
}

/** A loopback port that was free a moment ago (0 means "off" for the standalone WebSocket port, so tests pick one). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
