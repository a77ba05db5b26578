// Owns one connected WebSocket client: guarded sends, the slow-client cut-off and its subscriptions.
import { WebSocket } from 'ws';
import type { WsSubscription } from './ws-subscription.js';

/** Close code sent to a client whose send buffer went over the bound. */
export const SLOW_CLIENT_CLOSE_CODE = 4008;

/** How long a client closed for slowness gets to read its close frame before its socket is destroyed. */
const SLOW_CLOSE_GRACE_MS = 5_000;

/** What a client needs from its hub. */
export interface WsClientHooks {
  /** Largest `bufferedAmount` tolerated before the client is dropped. */
  maxBufferedBytes: number;
  /** Counts one message put on the wire. */
  onSent(): void;
  /** Called once when the client is dropped for slowness. */
  onSlow(client: WsClient): void;
}

/** One connection: the socket, its subscriptions by execution id, and keepalive state. */
export class WsClient {
  readonly id: string;
  readonly socket: WebSocket;
  readonly subscriptions = new Map<number, WsSubscription>();
  /** False from a keepalive ping until the pong; a client still false at the next round is dead. */
  alive = true;
  /** Re-checks the credentials the client connected with (auth on); a false answer closes the socket. */
  stillValid: (() => Promise<boolean>) | null = null;
  #dropped = false;
  readonly #hooks: WsClientHooks;

  constructor(id: string, socket: WebSocket, hooks: WsClientHooks) {
    this.id = id;
    this.socket = socket;
    this.#hooks = hooks;
  }

  /** True while messages can still be sent. */
  get open(): boolean {
    return !this.#dropped && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends one serialized message unless the client is gone or too far behind (then drops it); returns whether it was sent. */
  send(frame: Buffer): boolean {
    if (!this.open) return false;
    // Checked before each send so a stalled reader never holds more than the bound plus one message.
    if (this.socket.bufferedAmount > this.#hooks.maxBufferedBytes) {
      this.dropSlow();
      return false;
    }
    this.socket.send(frame, { binary: false });
    this.#hooks.onSent();
    return true;
  }

  /** Closes with 4008 so the client reconnects and resumes with from_line; never waits for it to catch up. */
  dropSlow(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    const limit = this.#hooks.maxBufferedBytes;
    this.socket.close(SLOW_CLIENT_CLOSE_CODE, `send buffer over ${limit} bytes; reconnect and resume with from_line`);
    // A reader that never drains would keep the buffered bytes until ws's own 30 s close timeout.
    setTimeout(() => this.socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
    this.#hooks.onSlow(this);
  }
}
