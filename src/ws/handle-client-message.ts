// Owns answering client messages: subscribe, unsubscribe, get_status, ping, and errors for anything else.
import type { RawData } from 'ws';
import { AppError } from '../core/app-error.js';
import type { WsServerPayloads } from '../core/ws-messages.js';
import { toWireExecution } from '../service/to-wire.js';
import type { HubContext } from './hub-context.js';
import { parseClientMessage, type ClientMessage } from './parse-client-message.js';
import { syncSubscription } from './sync-subscription.js';
import type { WsClient } from './ws-client.js';
import { encodeError, encodeMessage } from './ws-message.js';
import { WsSubscription } from './ws-subscription.js';

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function reportFailure(context: HubContext, client: WsClient, executionId: number, error: unknown): void {
  if (error instanceof AppError && error.code === 'execution_not_found') {
    client.send(encodeError('execution_not_found', error.message, context.settings.clock.now(), executionId));
    return;
  }
  context.logger.warn({ err: error, execution_id: executionId, client_id: client.id }, 'websocket request failed');
  client.send(
    encodeError('internal_error', `could not read execution ${executionId}`, context.settings.clock.now(), executionId),
  );
}

function subscribe(
  context: HubContext,
  client: WsClient,
  message: Extract<ClientMessage, { type: 'subscribe' }>,
): void {
  const id = message.execution_id;
  const existing = client.subscriptions.get(id);
  // Subscribing again replaces the subscription, so a client can switch mode or resume point.
  if (existing) context.endSubscription(existing);
  else if (client.subscriptions.size >= context.settings.maxSubscriptionsPerClient) {
    client.send(
      encodeError(
        'too_many_subscriptions',
        `a client may follow at most ${context.settings.maxSubscriptionsPerClient} executions; unsubscribe first`,
        context.settings.clock.now(),
        id,
      ),
    );
    return;
  }
  const sub = new WsSubscription(client, id, message.batch, context.settings.clock);
  client.subscriptions.set(id, sub);
  // Registered before any await, so no line committed from here on can be missed.
  context.channelFor(id).subscribers.add(sub);
  syncSubscription(sub, context.channelFor(id), context.feed, message.from_line, context.settings).catch(
    (error: unknown) => {
      if (sub.state === 'ended') return;
      context.endSubscription(sub);
      reportFailure(context, client, id, error);
    },
  );
}

async function sendStatus(context: HubContext, client: WsClient, executionId: number | null): Promise<void> {
  const status: WsServerPayloads['server_status'] = {
    connected_clients: context.clients.size,
    subscriptions: context.subscriptionCount(),
    client_subscriptions: [...client.subscriptions.keys()].map(String),
    uptime_seconds: Math.round((context.settings.clock.now() - context.startedAt) / 1000),
  };
  if (executionId !== null) {
    try {
      status.execution = toWireExecution((await context.feed.get(executionId)).execution, context.settings.clock.now());
    } catch (error) {
      reportFailure(context, client, executionId, error);
      return;
    }
  }
  client.send(encodeMessage('server_status', status, context.settings.clock.now()));
}

/** Answers one frame from a client; a bad frame gets an `error` message and the connection stays open. */
export function handleClientMessage(context: HubContext, client: WsClient, data: RawData, isBinary: boolean): void {
  const now = context.settings.clock.now();
  if (isBinary) {
    client.send(encodeError('bad_message', 'binary frames are not accepted; send JSON text', now));
    return;
  }
  const parsed = parseClientMessage(rawText(data));
  if (!parsed.ok) {
    client.send(encodeError('bad_message', parsed.error, now, parsed.executionId));
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'subscribe':
      subscribe(context, client, message);
      return;
    case 'unsubscribe': {
      const sub = client.subscriptions.get(message.execution_id);
      if (sub) context.endSubscription(sub);
      client.send(encodeMessage('unsubscribed', { execution_id: String(message.execution_id) }, now));
      return;
    }
    case 'get_status':
      void sendStatus(context, client, message.execution_id);
      return;
    case 'ping':
      client.send(encodeMessage('pong', { server_time: new Date(now).toISOString() }, now));
      return;
  }
}
