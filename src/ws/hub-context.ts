// Owns the live feed's shared state: connected clients, per-execution channels and the subscription bookkeeping.
import type { ChannelOptions } from './execution-channel.js';
import { ExecutionChannel } from './execution-channel.js';
import type { LiveFeedSource, SyncOptions } from './sync-subscription.js';
import type { WsClient } from './ws-client.js';
import type { WsSubscription } from './ws-subscription.js';

/** The minimal structured logger the hub writes to (pino fits). */
export interface HubLogger {
  debug(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Limits and timings of the hub. */
export interface HubSettings extends ChannelOptions, SyncOptions {
  maxSubscriptionsPerClient: number;
}

/** State shared by the message handler, the bus router and the connection code. */
export interface HubContext {
  readonly clients: Set<WsClient>;
  readonly channels: Map<number, ExecutionChannel>;
  readonly feed: LiveFeedSource;
  readonly settings: HubSettings;
  readonly logger: HubLogger;
  readonly startedAt: number;
  /** Messages put on the wire (one per recipient) and clients dropped for slowness, since start. */
  readonly stats: { messages: number; slowDropped: number };
  /** Sends one serialized message to every connected client. */
  broadcast(frame: Buffer): void;
  /**
   * Like broadcast, but a client still reading the execution's backlog gets the message after that
   * backlog, so "execution_completed" never overtakes lines the client asked for.
   */
  broadcastAfterLines(executionId: number, frame: Buffer): void;
  /** The execution's channel, created on first subscription. */
  channelFor(executionId: number): ExecutionChannel;
  /** Removes a subscription everywhere; a channel left without subscribers is dropped. */
  endSubscription(sub: WsSubscription): void;
  /** Forgets a client and ends its subscriptions (it closed, or was dropped). */
  removeClient(client: WsClient): void;
  /** Subscriptions over all clients. */
  subscriptionCount(): number;
}

/** Creates the empty shared state. */
export function createHubContext(feed: LiveFeedSource, settings: HubSettings, logger: HubLogger): HubContext {
  const clients = new Set<WsClient>();
  const channels = new Map<number, ExecutionChannel>();
  return {
    clients,
    channels,
    feed,
    settings,
    logger,
    startedAt: settings.clock.now(),
    stats: { messages: 0, slowDropped: 0 },
    broadcast(frame) {
      for (const client of clients) client.send(frame);
    },
    broadcastAfterLines(executionId, frame) {
      for (const client of clients) {
        const sub = client.subscriptions.get(executionId);
        if (sub?.state === 'syncing') sub.queueFrame(frame);
        else client.send(frame);
      }
    },
    channelFor(executionId) {
      let channel = channels.get(executionId);
      if (!channel) {
        channel = new ExecutionChannel(executionId, settings);
        channels.set(executionId, channel);
      }
      return channel;
    },
    endSubscription(sub) {
      sub.state = 'ended';
      if (sub.client.subscriptions.get(sub.executionId) === sub) sub.client.subscriptions.delete(sub.executionId);
      const channel = channels.get(sub.executionId);
      if (!channel) return;
      channel.subscribers.delete(sub);
      if (channel.subscribers.size === 0) {
        channel.dispose();
        channels.delete(sub.executionId);
      }
    },
    removeClient(client) {
      if (!clients.delete(client)) return;
      for (const sub of [...client.subscriptions.values()]) this.endSubscription(sub);
    },
    subscriptionCount() {
      let total = 0;
      for (const client of clients) total += client.subscriptions.size;
      return total;
    },
  };
}
