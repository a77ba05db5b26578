// Owns the WebSocket live feed: upgrades on /ws and the standalone port, connections, keepalive, health and shutdown.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../bus/event-bus.js';
import type { Clock } from '../core/clock.js';
import { acceptConnection } from './accept-connection.js';
import { schemeOf, type OriginPolicy } from '../service/auth/origin-policy.js';
import { createHubContext, type HubContext, type HubLogger } from './hub-context.js';
import { startCredentialRecheck } from './recheck-credentials.js';
import { routeBusEvent } from './route-bus-event.js';
import type { LiveFeedSource } from './sync-subscription.js';

/** What the hub is built from; every number has a default. */
export interface WsHubOptions {
  bus: EventBus;
  feed: LiveFeedSource;
  logger: HubLogger;
  /** The server's clock: uptime and running durations in messages are reckoned from it. */
  clock: Clock;
  /** The Host and browser Origin guards shared with HTTP (DNS rebinding, cross-site WebSocket hijacking). */
  origins: OriginPolicy;
  /** A client whose send buffer exceeds this is closed with 4008 (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Batch flush interval per execution (default 30 ms). */
  flushMs?: number;
  /** A batch is flushed early at this many lines (default 2,000). */
  maxBatchLines?: number;
  /** Keepalive ping interval; a client silent for one interval is terminated (default 30 s). */
  keepaliveMs?: number;
  /** Subscriptions one client may hold (default 100). */
  maxSubscriptionsPerClient?: number;
  /** Largest accepted client frame; larger closes with 1009 (default 64 KiB). */
  maxPayloadBytes?: number;
  /** Backlog lines read per page (default 5,000). */
  pageLines?: number;
  /** Decides whether an upgrade request proved who it is (key header or session cookie); absent means auth is off. */
  authenticate?: (request: IncomingMessage) => Promise<UpgradeVerdict>;
  /** How often each authenticated client's credentials are checked again, so a revoked key's socket closes (default 500 ms). */
  recheckMs?: number;
}

/** The answer to an upgrade's credentials: accepted with a way to re-check them, or refused (401; 403 for an agent key; 429 after too many failures). */
export type UpgradeVerdict =
  | { allowed: true; stillValid: () => Promise<boolean> }
  | { allowed: false; status: 401 | 403 | 429; retryAfter?: number };

/** The hub's part of GET /api/health. */
export type WsHealth = {
  status: 'ok' | 'error';
  message?: string;
  connected_clients: number;
  subscriptions: number;
  total_messages: number;
  slow_clients_dropped: number;
  path: string;
  standalone_port: number | null;
};

/** The live feed: attach it to HTTP servers, optionally listen on its own port, close it at shutdown. */
export interface WsHub {
  /** Serves upgrades to `path` (default /ws) on an existing HTTP server; other upgrade paths get 404. */
  attach(server: Server, path?: string): void;
  /** Completes (or refuses, 403/503) one upgrade request. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Listens on a standalone port that accepts upgrades on any path; resolves to the bound port. */
  listen(host: string, port: number): Promise<number>;
  connectedClients(): number;
  /** True while some client subscribes to the execution (the cluster relay reads other servers' lines only for those). */
  watching(executionId: number): boolean;
  /** Messages sent to clients since start (one per recipient). */
  totalMessages(): number;
  health(): WsHealth;
  /** Closes every client with 1001 and stops both servers. */
  close(): Promise<void>;
}

const WS_PATH = '/ws';
const CLOSE_WAIT_MS = 2_000;

function rejectUpgrade(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${extraHeaders}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function refuseCredentials(socket: Duplex, verdict: Extract<UpgradeVerdict, { allowed: false }>): void {
  if (verdict.status === 429)
    rejectUpgrade(socket, 429, 'Too Many Requests', `Retry-After: ${verdict.retryAfter ?? 60}\r\n`);
  else if (verdict.status === 403) rejectUpgrade(socket, 403, 'Forbidden', '');
  else rejectUpgrade(socket, 401, 'Unauthorized', 'WWW-Authenticate: Bearer realm="stepflow"\r\n');
}

/** Refuses an upgrade whose Host is not ours (421) or whose browser Origin is foreign (403); true when it was refused. */
function refuseForeign(request: IncomingMessage, socket: Duplex, origins: OriginPolicy, logger: HubLogger): boolean {
  if (!origins.isHostAllowed(request.headers.host)) {
    logger.warn({ host: request.headers.host }, "websocket upgrade refused: Host is not one of this server's names");
    rejectUpgrade(socket, 421, 'Misdirected Request');
    return true;
  }
  const target = {
    host: request.headers.host,
    scheme: schemeOf(
      'encrypted' in request.socket && request.socket.encrypted === true,
      request.headers['x-forwarded-proto'],
    ),
  };
  if (origins.isOriginAllowed(request.headers.origin, target)) return false;
  logger.warn(
    { origin: request.headers.origin, host: request.headers.host },
    'websocket upgrade refused: origin not allowed',
  );
  rejectUpgrade(socket, 403, 'Forbidden');
  return true;
}

function startKeepalive(context: HubContext, intervalMs: number): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const client of context.clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      if (client.open) client.socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}

/** Waits for every socket to finish its close handshake, then destroys the ones that did not. */
async function closeSockets(sockets: Set<WebSocket>): Promise<void> {
  const closed = [...sockets].map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) resolve();
        else socket.once('close', () => resolve());
        socket.close(1001, 'server shutting down');
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
  clearTimeout(timer);
  for (const socket of sockets) socket.terminate();
}

/** A plain HTTP server that only upgrades (any path, like the old tool's ws://HOST:8765) and answers 426 otherwise. */
async function listenStandalone(
  host: string,
  port: number,
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain', connection: 'Upgrade', upgrade: 'websocket' });
    response.end('this port serves the StepFlow WebSocket feed only\n');
  });
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Creates the hub and subscribes it to the bus; call close() at shutdown. */
export function createWsHub(options: WsHubOptions): WsHub {
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const context = createHubContext(
    options.feed,
    {
      flushMs: options.flushMs ?? 30,
      maxBatchLines: options.maxBatchLines ?? 2_000,
      maxSubscriptionsPerClient: options.maxSubscriptionsPerClient ?? 100,
      pageLines: options.pageLines ?? 5_000,
      lowWaterBytes: Math.min(1024 * 1024, maxBufferedBytes / 4),
      clock: options.clock,
    },
    options.logger,
  );
  // perMessageDeflate stays off: compressing every frame for 1,000 clients would cost more CPU than it saves on a LAN.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 64 * 1024,
    perMessageDeflate: false,
  });
  let closing: Promise<void> | null = null;
  let standalone: Server | null = null;
  const unsubscribeBus = options.bus.subscribe((event) => routeBusEvent(context, event));
  const keepalive = startKeepalive(context, options.keepaliveMs ?? 30_000);
  const recheck = startCredentialRecheck(context, options.recheckMs ?? 500);

  const hub: WsHub = {
    attach(server, path = WS_PATH) {
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        const pathname = (request.url ?? '').split('?')[0];
        if (pathname === path) hub.handleUpgrade(request, socket, head);
        else rejectUpgrade(socket, 404, 'Not Found');
      });
    },
    handleUpgrade(request, socket, head) {
      // A reset during the handshake must not become an uncaught error.
      socket.on('error', () => socket.destroy());
      if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
      if (refuseForeign(request, socket, options.origins, options.logger)) return;
      const accept = (stillValid: (() => Promise<boolean>) | null): void =>
        wss.handleUpgrade(request, socket, head, (ws) =>
          acceptConnection(context, ws, request, maxBufferedBytes, stillValid),
        );
      if (!options.authenticate) return accept(null);
      options.authenticate(request).then(
        (verdict) => {
          if (socket.destroyed) return;
          if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
          if (!verdict.allowed) return refuseCredentials(socket, verdict);
          accept(verdict.stillValid);
        },
        (error: unknown) => {
          options.logger.warn({ err: error }, 'websocket upgrade refused: authentication failed');
          rejectUpgrade(socket, 503, 'Service Unavailable');
        },
      );
    },
    async listen(host, port) {
      standalone = await listenStandalone(host, port, (request, socket, head) =>
        hub.handleUpgrade(request, socket, head),
      );
      return (standalone.address() as AddressInfo).port;
    },
    connectedClients: () => context.clients.size,
    watching: (executionId) => (context.channels.get(executionId)?.subscribers.size ?? 0) > 0,
    totalMessages: () => context.stats.messages,
    health() {
      const figures = {
        connected_clients: context.clients.size,
        subscriptions: context.subscriptionCount(),
        total_messages: context.stats.messages,
        slow_clients_dropped: context.stats.slowDropped,
        path: WS_PATH,
        standalone_port: standalone ? ((standalone.address() as AddressInfo | null)?.port ?? null) : null,
      };
      return closing
        ? { status: 'error', message: 'the live feed is shut down', ...figures }
        : { status: 'ok', ...figures };
    },
    close() {
      closing ??= (async () => {
        clearInterval(keepalive);
        clearInterval(recheck);
        unsubscribeBus();
        for (const channel of context.channels.values()) channel.dispose();
        await closeSockets(wss.clients);
        wss.close();
        const server = standalone;
        if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
  return hub;
}
