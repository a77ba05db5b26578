// Owns setting up one upgraded connection: the client record, its event handlers and the greeting.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { handleClientMessage } from './handle-client-message.js';
import type { HubContext } from './hub-context.js';
import { WsClient } from './ws-client.js';
import { encodeMessage } from './ws-message.js';

/** Registers a new connection with the hub and sends it `connection_established`. */
export function acceptConnection(
  context: HubContext,
  socket: WebSocket,
  request: IncomingMessage,
  maxBufferedBytes: number,
  stillValid: (() => Promise<boolean>) | null = null,
): void {
  const { logger, stats } = context;
  const client = new WsClient(randomUUID(), socket, {
    maxBufferedBytes,
    onSent: () => stats.messages++,
    onSlow: (slow) => {
      stats.slowDropped++;
      logger.warn(
        { client_id: slow.id, buffered: slow.socket.bufferedAmount },
        'websocket client too slow, closed with 4008',
      );
      context.removeClient(slow);
    },
  });
  client.stillValid = stillValid;
  context.clients.add(client);
  socket.on('message', (data, isBinary) => {
    // A client dropped for slowness may still have frames in flight; they must not open new subscriptions.
    if (client.open) handleClientMessage(context, client, data, isBinary);
  });
  socket.on('pong', () => (client.alive = true));
  socket.on('close', () => context.removeClient(client));
  socket.on('error', (error) => logger.debug({ err: error, client_id: client.id }, 'websocket client error'));
  logger.debug({ client_id: client.id, remote: request.socket.remoteAddress }, 'websocket client connected');
  const now = context.settings.clock.now();
  client.send(
    encodeMessage(
      'connection_established',
      { client_id: client.id, server_time: new Date(now).toISOString(), connected_clients: context.clients.size },
      now,
    ),
  );
}
