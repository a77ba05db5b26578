// Owns the WebSocket half of following an execution: subscribe, resume by line after a drop, heartbeat, and giving up to REST.
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { isTerminalStatus } from '../core/execution.js';
import type { WireExecution, WireLogLine } from '../core/wire-types.js';
import { decodeServerMessage, type WsClientMessage } from '../core/ws-messages.js';
import { ApiError } from './api-client.js';
import type { FollowCursor, FollowResult } from './create-follow-cursor.js';

/** How following over the socket ended: the execution ended, or the live feed is not usable and REST must take over. */
export type SocketOutcome = { kind: 'ended'; result: FollowResult } | { kind: 'unavailable'; reason: string };

/** What the socket follower needs. */
export interface SocketFollowOptions {
  url: string;
  executionId: number;
  cursor: FollowCursor;
  onNotice?: ((message: string) => void) | undefined;
  /** Null when the output can take more now, else resolves once it can; meanwhile the socket is not read. */
  waitForRoom?: (() => Promise<void> | null) | undefined;
  /** Opens the socket; tests replace it. */
  openSocket?: ((url: string) => WebSocket) | undefined;
  /** Sent with the upgrade request (the API key when the server has auth on). */
  headers?: Record<string, string> | undefined;
  /** Drops in a row (without a `subscribed` between) before giving up to REST. */
  maxFailures?: number | undefined;
  heartbeatMs?: number | undefined;
}

const END_GRACE_MS = 500;

/** Follows over the live feed until the execution ends; resolves `unavailable` when the server has no usable feed. */
export function followBySocket(options: SocketFollowOptions): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => new SocketFollower(options, resolve, reject).connect());
}

class SocketFollower {
  readonly #options: SocketFollowOptions;
  readonly #resolve: (outcome: SocketOutcome) => void;
  readonly #reject: (err: unknown) => void;
  #failures = 0;
  #settled = false;
  // Set once the end is known, while the final REST read is still running.
  #ending = false;
  // Set when the socket was paused for a slow output reader since the last subscribe: the server then drops us
  // as slow (4008, or a cut connection if we did not even read its close frame), which is expected, not news.
  #heldBack = false;
  // Messages, closes and reconnects run one at a time so a REST catch-up never races the next batch.
  #chain: Promise<void> = Promise.resolve();

  constructor(options: SocketFollowOptions, resolve: (outcome: SocketOutcome) => void, reject: (err: unknown) => void) {
    this.#options = options;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  connect(): void {
    const { url, executionId, cursor } = this.#options;
    const socket = (
      this.#options.openSocket ?? ((target: string) => new WebSocket(target, { headers: this.#options.headers ?? {} }))
    )(url);
    let lastError: Error | undefined;
    const stopHeartbeat = startHeartbeat(socket, this.#options.heartbeatMs ?? 15_000);
    socket.on('open', () => {
      const subscribe: WsClientMessage = {
        type: 'subscribe',
        data: { execution_id: executionId, from_line: cursor.position, batch: true },
      };
      socket.send(JSON.stringify(subscribe));
    });
    socket.on('message', (raw: WebSocket.RawData) => this.#enqueue(() => this.#handle(socket, raw)));
    socket.on('error', (err: Error) => {
      lastError = err;
    });
    socket.on('close', () => {
      stopHeartbeat();
      this.#enqueue(() => this.#closed(lastError));
    });
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((err: unknown) => this.#settle(() => this.#reject(err)));
  }

  #settle(finish: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    finish();
  }

  async #handle(socket: WebSocket, raw: WebSocket.RawData): Promise<void> {
    if (this.#settled || this.#ending) return;
    const message = decodeServerMessage(rawText(raw));
    if (!message) return;
    // Messages about other executions, and errors about none (null), are not ours; servers before ids became strings sent numbers.
    if ('execution_id' in message.data && String(message.data.execution_id) !== String(this.#options.executionId))
      return;
    const { cursor } = this.#options;
    switch (message.type) {
      case 'subscribed':
        this.#failures = 0;
        this.#heldBack = false;
        cursor.steps(message.data.steps);
        if (isTerminalStatus(message.data.execution.status))
          this.#endSoon(socket, message.data.execution, message.timestamp);
        return;
      case 'log_batch':
        await this.#lines(socket, message.data.lines);
        return;
      case 'step_update':
        cursor.steps([message.data.step]);
        return;
      case 'execution_completed':
        await this.#end(socket);
        return;
      case 'error':
        this.#serverError(socket, message.data.error_message, message.data.error_code);
        return;
    }
  }

  async #lines(socket: WebSocket, lines: WireLogLine[]): Promise<void> {
    const { cursor } = this.#options;
    const first = lines[0];
    // A hole before this batch (lines the server skipped for us) is filled from REST, so nothing is lost.
    if (first && first.line > cursor.position + 1) await cursor.catchUp();
    for (const line of lines) cursor.deliver(line);
    const room = this.#options.waitForRoom?.();
    if (!room) return;
    // Not reading pushes back on the server, which may drop us as slow; the resume then reads the rest over REST.
    this.#heldBack = true;
    socket.pause();
    await room;
    socket.resume();
  }

  /**
   * The stored status can turn terminal a moment before the server has flushed the last lines and
   * recorded the artifacts (execution_completed is only sent after both), so a run that ended just now
   * gets up to END_GRACE_MS for execution_completed before the REST read; an older one is read at once.
   */
  #endSoon(socket: WebSocket, execution: WireExecution, serverTime: string | undefined): void {
    const now = Date.parse(serverTime ?? '') || Date.now();
    const age = now - (Date.parse(execution.completed_at ?? '') || 0);
    const wait = Math.min(END_GRACE_MS, Math.max(0, END_GRACE_MS - age));
    if (wait === 0) {
      this.#enqueue(() => this.#end(socket));
      return;
    }
    setTimeout(
      () =>
        this.#enqueue(async () => {
          if (!this.#settled && !this.#ending) await this.#end(socket);
        }),
      wait,
    );
  }

  async #end(socket: WebSocket): Promise<void> {
    this.#ending = true;
    socket.close();
    // The socket's word is not the last one: the REST read picks up lines and step states it did not send.
    const result = await this.#options.cursor.finish();
    this.#settle(() => this.#resolve({ kind: 'ended', result }));
  }

  #serverError(socket: WebSocket, message: string, code: string | undefined): void {
    if (code === 'execution_not_found') {
      this.#settle(() => this.#reject(new ApiError(message, 404, code)));
      socket.terminate();
      return;
    }
    this.#options.onNotice?.(`live feed error: ${message}${code ? ` (${code})` : ''}`);
    socket.terminate();
  }

  async #closed(err: Error | undefined): Promise<void> {
    if (this.#settled || this.#ending) return;
    const unexpected = err?.message.match(/^Unexpected server response: (\d+)/);
    if (unexpected) {
      this.#settle(() =>
        this.#resolve({
          kind: 'unavailable',
          reason: `the server answered HTTP ${unexpected[1]} at ${this.#options.url}`,
        }),
      );
      return;
    }
    this.#failures += 1;
    if (this.#failures > (this.#options.maxFailures ?? 8)) {
      this.#settle(() =>
        this.#resolve({ kind: 'unavailable', reason: `the live feed dropped ${this.#failures} times in a row` }),
      );
      return;
    }
    const delay = Math.min(3000, 200 * 2 ** (this.#failures - 1));
    // Dropped because our own reader was slow: the resume loses nothing, so there is nothing to tell.
    if (!this.#heldBack) {
      this.#options.onNotice?.(
        `live feed lost (${err?.message ?? 'closed'}); resuming after line ${this.#options.cursor.position}`,
      );
    }
    await sleep(delay);
    if (!this.#settled && !this.#ending) this.connect();
  }
}

// A half-open connection never closes by itself; an unanswered ping turns it into a close (and so a resume).
function startHeartbeat(socket: WebSocket, intervalMs: number): () => void {
  let alive = true;
  socket.on('pong', () => (alive = true));
  socket.on('message', () => (alive = true));
  const timer = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function rawText(raw: WebSocket.RawData): string {
  return Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8');
}
