// Owns one client's subscription to one execution: its mode, the last line it was sent, and what waits while it syncs.
import type { Clock } from '../core/clock.js';
import type { LogLine } from '../core/log-line.js';
import type { WireLogLine } from '../core/wire-types.js';
import type { WsClient } from './ws-client.js';
import { encodeLogBatch, encodeMessage, logEntryData } from './ws-message.js';

/** Live lines held while the backlog is read; past this the lines are dropped and re-read from the store instead. */
export const MAX_PENDING_LINES = 50_000;

/** A live event that arrived while syncing: a chunk of committed lines, or a ready message (step_update, artifact_created). */
type PendingItem = readonly LogLine[] | Buffer;

/** A subscription; `lastSent` is the highest line number this client has been sent, so nothing is sent twice. */
export class WsSubscription {
  readonly client: WsClient;
  readonly executionId: number;
  readonly batch: boolean;
  /** syncing: snapshot and backlog are being sent and live events queue; live: the channel sends directly. */
  state: 'syncing' | 'live' | 'ended' = 'syncing';
  lastSent = 0;
  /** Set when queued lines were dropped; the sync then reads the store up to its new end before going live. */
  overflowed = false;
  #pending: PendingItem[] = [];
  #pendingLines = 0;
  readonly #clock: Clock;

  constructor(client: WsClient, executionId: number, batch: boolean, clock: Clock) {
    this.client = client;
    this.executionId = executionId;
    this.batch = batch;
    this.#clock = clock;
  }

  /** Holds committed lines until the backlog is sent; bounded so a long backlog read cannot grow memory without limit. */
  queueLines(lines: readonly LogLine[]): void {
    if (this.#pendingLines + lines.length > MAX_PENDING_LINES) {
      // The dropped lines are already stored (lines are published after commit), so the sync re-reads them.
      this.#pending = this.#pending.filter((item) => Buffer.isBuffer(item));
      this.#pendingLines = 0;
      this.overflowed = true;
      return;
    }
    this.#pending.push(lines);
    this.#pendingLines += lines.length;
  }

  /** Holds a ready message until the snapshot has been sent, keeping its order among the queued lines. */
  queueFrame(frame: Buffer): void {
    this.#pending.push(frame);
  }

  /** Removes and returns everything queued, in arrival order. */
  takePending(): PendingItem[] {
    const items = this.#pending;
    this.#pending = [];
    this.#pendingLines = 0;
    return items;
  }

  /** Sends the lines above `lastSent` in this subscription's mode and advances `lastSent`; false once the client is gone. */
  sendLines(lines: readonly WireLogLine[]): boolean {
    const fresh = lines.filter((line) => line.line > this.lastSent);
    if (fresh.length === 0) return this.client.open;
    this.lastSent = fresh[fresh.length - 1]!.line;
    const now = this.#clock.now();
    if (this.batch) return this.client.send(encodeLogBatch(this.executionId, fresh, now));
    for (const line of fresh) {
      if (!this.client.send(encodeMessage('log_entry', logEntryData(this.executionId, line), now))) return false;
    }
    return true;
  }
}
