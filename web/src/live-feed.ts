// Owns the one WebSocket to /ws: reconnects with backoff, re-subscribes with from_line so no line is lost, and fans messages out.
import type { WireArtifact, WireExecution, WireLogLine, WireStep } from '../../src/core/wire-types';
import {
  decodeServerMessage,
  messageExecutionId,
  type WsClientMessage,
  type WsServerMessage,
} from '../../src/core/ws-messages';

/** What the connection indicator shows. */
export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** A server message as sent on the wire (the protocol's typed union). */
export type FeedMessage = WsServerMessage;

/** Callbacks of one execution subscription. */
export interface SubscriptionHandlers {
  onSnapshot?: (execution: WireExecution, steps: WireStep[], lastLine: number) => void;
  onLines?: (lines: WireLogLine[]) => void;
  onStep?: (step: WireStep) => void;
  onArtifact?: (artifact: WireArtifact) => void;
}

interface Subscription {
  handlers: SubscriptionHandlers;
  /** Highest line delivered (snapshot or live); the resume point after a reconnect. */
  lastLine: number | null;
}

const stateListeners = new Set<(state: FeedState) => void>();
const messageListeners = new Set<(message: FeedMessage) => void>();
const subscriptions = new Map<number, Subscription>();
let socket: WebSocket | null = null;
let state: FeedState = 'connecting';
let attempt = 0;
let retryTimer: number | undefined;
/** Set from the first close until a new connection has stayed open for STABLE_MS. */
let lost = false;
let stableTimer: number | undefined;
/** How long a new connection must stay open before a lost feed counts as back: a server that accepts and drops at once is still lost. */
const STABLE_MS = 2000;

// Listeners hear changes only, so an outage is reported once however many retries it takes.
function setState(next: FeedState): void {
  if (next === state) return;
  state = next;
  for (const listener of stateListeners) listener(next);
}

function send(message: WsClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function sendSubscribe(executionId: number, subscription: Subscription): void {
  const from = subscription.lastLine;
  send({
    type: 'subscribe',
    data: { execution_id: executionId, batch: true, ...(from === null ? {} : { from_line: from }) },
  });
}

function deliver(message: FeedMessage): void {
  // Ids arrive as strings ("42"); subscriptions are kept by the number the page routes on.
  const raw = messageExecutionId(message);
  const id = raw === null ? null : Number(raw);
  const subscription = id === null ? undefined : subscriptions.get(id);
  if (subscription) routeToSubscription(subscription, message);
  for (const listener of messageListeners) listener(message);
}

function routeToSubscription(subscription: Subscription, message: FeedMessage): void {
  if (message.type === 'subscribed') {
    const { execution, steps, last_line: lastLine } = message.data;
    subscription.lastLine = Math.max(subscription.lastLine ?? 0, lastLine);
    subscription.handlers.onSnapshot?.(execution, steps, lastLine);
  } else if (message.type === 'log_batch') {
    const lines = message.data.lines.filter((line) => line.line > (subscription.lastLine ?? 0));
    if (lines.length === 0) return;
    subscription.lastLine = lines[lines.length - 1]?.line ?? subscription.lastLine;
    subscription.handlers.onLines?.(lines);
  } else if (message.type === 'step_update') subscription.handlers.onStep?.(message.data.step);
  else if (message.type === 'artifact_created') subscription.handlers.onArtifact?.(message.data.artifact);
}

function scheduleReconnect(): void {
  attempt += 1;
  setState(navigator.onLine ? 'reconnecting' : 'offline');
  // Exponential backoff with jitter, capped at 10 s, so a restarting server is not hammered by every tab at once.
  const delay = Math.min(10_000, 300 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() / 2);
  window.clearTimeout(retryTimer);
  retryTimer = window.setTimeout(connect, delay);
}

function connect(): void {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    for (const [id, subscription] of subscriptions) sendSubscribe(id, subscription);
    if (!lost) return markLive();
    // Backoff keeps growing until the connection proves itself, so a server that drops every new socket is not hammered.
    window.clearTimeout(stableTimer);
    stableTimer = window.setTimeout(markLive, STABLE_MS);
  };
  ws.onmessage = (event) => {
    // A frame we cannot parse is ignored; the feed stays usable.
    const message = decodeServerMessage(String(event.data));
    if (message) deliver(message);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    window.clearTimeout(stableTimer);
    lost = true;
    scheduleReconnect();
  };
}

function markLive(): void {
  lost = false;
  attempt = 0;
  setState('live');
}

/** Opens the feed once for the page's lifetime. */
export function startFeed(): void {
  if (socket) return;
  connect();
  window.addEventListener('online', () => {
    // Retry now rather than after the backoff, unless a socket is already open or opening.
    if (socket && socket.readyState <= WebSocket.OPEN) return;
    window.clearTimeout(retryTimer);
    connect();
  });
  window.addEventListener('offline', () => setState('offline'));
}

/** Reconnects at once (after signing in, when the last attempt was refused); starts the feed if it never started. */
export function restartFeed(): void {
  if (!socket) return startFeed();
  attempt = 0;
  lost = false;
  window.clearTimeout(retryTimer);
  window.clearTimeout(stableTimer);
  const old = socket;
  socket = null;
  old.close();
  connect();
}

/** Follows the connection state; returns an unsubscribe function. */
export function onFeedState(listener: (state: FeedState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => void stateListeners.delete(listener);
}

/** Receives every message (execution-level events go to all clients). */
export function onFeedMessage(listener: (message: FeedMessage) => void): () => void {
  messageListeners.add(listener);
  return () => void messageListeners.delete(listener);
}

/** Subscribes to one execution's steps, artifacts and batched lines after `fromLine` (null: only new lines). */
export function subscribeExecution(
  executionId: number,
  fromLine: number | null,
  handlers: SubscriptionHandlers,
): () => void {
  const subscription: Subscription = { handlers, lastLine: fromLine };
  subscriptions.set(executionId, subscription);
  sendSubscribe(executionId, subscription);
  return () => {
    if (subscriptions.get(executionId) !== subscription) return;
    subscriptions.delete(executionId);
    send({ type: 'unsubscribe', data: { execution_id: executionId } });
  };
}
