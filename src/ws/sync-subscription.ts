// Owns bringing a new subscription up to date: snapshot, backlog read in pages, then the switch to live without gap or duplicate.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../core/clock.js';
import type { WireLogLine } from '../core/wire-types.js';
import type { ExecutionService } from '../service/execution-service.js';
import { toWireExecution, toWireLogLine, toWireStep } from '../service/to-wire.js';
import type { ExecutionChannel } from './execution-channel.js';
import { encodeMessage } from './ws-message.js';
import type { WsSubscription } from './ws-subscription.js';

/** What the live feed reads through: the execution service's get and paged logs. */
export type LiveFeedSource = Pick<ExecutionService, 'get' | 'logs'>;

/** Paging and back-pressure settings of the backlog read. */
export interface SyncOptions {
  /** The snapshot's running durations are reckoned from it. */
  clock: Clock;
  /** Lines read from the store per page. */
  pageLines: number;
  /** The next page is read only once the client's send buffer is below this. */
  lowWaterBytes: number;
}

const ROOM_POLL_MS = 10;

function usable(sub: WsSubscription): boolean {
  return sub.state !== 'ended' && sub.client.open;
}

/** Waits until the client has drained its send buffer enough for the next page; false once it is gone. */
async function waitForRoom(sub: WsSubscription, lowWaterBytes: number): Promise<boolean> {
  // ws exposes no drain event; polling bufferedAmount is cheap and only runs during a backlog read.
  while (usable(sub) && sub.client.socket.bufferedAmount > lowWaterBytes) await sleep(ROOM_POLL_MS);
  return usable(sub);
}

/** Sends stored lines from `lastSent + 1` through `target`, one page at a time; false once the subscription is gone. */
async function sendBacklog(
  sub: WsSubscription,
  feed: LiveFeedSource,
  target: number,
  options: SyncOptions,
): Promise<boolean> {
  while (sub.lastSent < target) {
    if (!(await waitForRoom(sub, options.lowWaterBytes))) return false;
    // Unfiltered log offsets count lines, and lines are contiguous from 1, so offset N starts at line N + 1.
    const page = await feed.logs(sub.executionId, {
      offset: sub.lastSent,
      limit: Math.min(options.pageLines, target - sub.lastSent),
    });
    if (!usable(sub)) return false;
    if (page.lines.length === 0) break;
    if (!sub.sendLines(page.lines)) return false;
  }
  return usable(sub);
}

/** Sends what arrived while syncing, in order (lines already sent are skipped), and hands the subscription to the channel. */
function goLive(sub: WsSubscription, channel: ExecutionChannel): void {
  let lines: WireLogLine[] = [];
  for (const item of sub.takePending()) {
    if (Buffer.isBuffer(item)) {
      sub.sendLines(lines);
      lines = [];
      sub.client.send(item);
    } else {
      for (const line of item) lines.push(toWireLogLine(line, channel.stepIds));
    }
  }
  sub.sendLines(lines);
  sub.state = 'live';
}

async function lastStoredLine(feed: LiveFeedSource, executionId: number): Promise<number> {
  return (await feed.logs(executionId, { offset: 0, limit: 0 })).total_lines;
}

/**
 * Sends `subscribed` (the snapshot), then with `fromLine` every stored line above it, then goes live.
 * The subscription is already registered with the channel, so every line committed from now on is queued;
 * lines both queued and read from the store are sent once because `lastSent` only moves forward.
 * Throws the service's AppError (execution_not_found) for an unknown execution.
 */
export async function syncSubscription(
  sub: WsSubscription,
  channel: ExecutionChannel,
  feed: LiveFeedSource,
  fromLine: number | null,
  options: SyncOptions,
): Promise<void> {
  const id = sub.executionId;
  const [detail, lastLine] = await Promise.all([feed.get(id), lastStoredLine(feed, id)]);
  if (!usable(sub)) return;
  channel.seedSteps(detail.steps);
  const now = options.clock.now();
  const snapshot = {
    execution_id: String(id),
    execution: toWireExecution(detail.execution, now),
    steps: detail.steps.map((step) => toWireStep(step, now)),
    last_line: lastLine,
  };
  if (!sub.client.send(encodeMessage('subscribed', snapshot, now))) return;
  // Without from_line the client starts at the snapshot: everything after last_line, nothing before it.
  sub.lastSent = fromLine ?? lastLine;
  let target = lastLine;
  for (;;) {
    if (!(await sendBacklog(sub, feed, target, options))) return;
    if (!sub.overflowed) break;
    sub.overflowed = false;
    target = await lastStoredLine(feed, id);
  }
  // No await between the overflow check and goLive: no line can slip in between.
  goLive(sub, channel);
}
