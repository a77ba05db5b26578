// A WebSocket test client that records every message and waits for the ones a test expects.
import WebSocket from 'ws';
import {
  decodeServerMessage,
  messageExecutionId,
  type WsClientMessage,
  type WsServerMessage,
  type WsServerMessageType,
} from '../../src/core/ws-messages.js';

/** One server message as received: the protocol's typed union. */
export type WsMessage = WsServerMessage;

/** The message of one type. */
export type WsMessageOf<T extends WsServerMessageType> = Extract<WsServerMessage, { type: T }>;

/** A connected client with everything it received so far. */
export interface WsTestClient {
  socket: WebSocket;
  messages: WsMessage[];
  /** Resolves with the first received message (past or future) of this type that matches. */
  waitFor<T extends WsServerMessageType>(
    type: T,
    match?: (message: WsMessageOf<T>) => boolean,
    timeoutMs?: number,
  ): Promise<WsMessageOf<T>>;
  /** Sends a protocol message, or raw text (tests of malformed input). */
  send(value: WsClientMessage | string | Record<string, unknown>): void;
  /** Resolves with the close code and reason once the connection is closed. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/** Opens a connection; rejects with the HTTP status when the upgrade is refused. */
export function connectWs(url: string, headers: Record<string, string> = {}): Promise<WsTestClient> {
  const socket = new WebSocket(url, { headers });
  const messages: WsMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const message = decodeServerMessage(String(data));
    if (!message) throw new Error(`the server sent a frame outside the protocol: ${String(data).slice(0, 200)}`);
    messages.push(message);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const client: WsTestClient = {
    socket,
    messages,
    closed,
    waitFor<T extends WsServerMessageType>(
      type: T,
      match: (message: WsMessageOf<T>) => boolean = () => true,
      timeoutMs = 10_000,
    ) {
      const isType = (message: WsMessage): message is WsMessageOf<T> => message.type === type;
      return new Promise<WsMessageOf<T>>((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.filter(isType).find((message) => match(message));
          if (!found) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no ${type} message within ${timeoutMs} ms; got ${messages.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    send(value) {
      socket.send(typeof value === 'string' ? value : JSON.stringify(value));
    },
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (request, response) => {
      request.destroy();
      reject(Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }));
    });
    // Errors after the upgrade (e.g. a 1009 close) are reported through `closed`.
    socket.on('error', reject);
  });
}

/** The messages of one type a client received so far, typed by the protocol. */
export function messagesOf<T extends WsServerMessageType>(client: WsTestClient, type: T): WsMessageOf<T>[] {
  return client.messages.filter((message): message is WsMessageOf<T> => message.type === type);
}

/** The log line numbers a client received for an execution, from log_entry and log_batch messages, in arrival order. */
export function receivedLines(client: WsTestClient, executionId: string): number[] {
  const lines: number[] = [];
  for (const message of client.messages) {
    if (messageExecutionId(message) !== executionId) continue;
    if (message.type === 'log_entry') lines.push(message.data.line);
    if (message.type === 'log_batch') for (const line of message.data.lines) lines.push(line.line);
  }
  return lines;
}
