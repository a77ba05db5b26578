// Owns following one execution to its end for `run` and `logs --follow`: live feed first, REST polling when there is none.
import { setTimeout as sleep } from 'node:timers/promises';
import type WebSocket from 'ws';
import { isTerminalStatus } from '../core/execution.js';
import type { WireStep } from '../core/wire-types.js';
import { createFollowCursor, type FollowCursor, type FollowResult, type FollowTarget } from './create-follow-cursor.js';
import { followBySocket } from './follow-by-socket.js';

export type { FollowHandlers, FollowResult } from './create-follow-cursor.js';

/** What to follow, from which line, and where the output goes. */
export interface FollowOptions extends FollowTarget {
  /** Opens the live-feed socket; tests replace it. */
  openSocket?: ((url: string) => WebSocket) | undefined;
  /** Pause between REST polls when there is no live feed. */
  pollIntervalMs?: number | undefined;
}

/**
 * Hands on every line after `fromLine` exactly once and every step change in order, until the execution
 * ends; resolves with the execution, steps and artifacts as the server has them at the end.
 */
export async function followExecution(options: FollowOptions): Promise<FollowResult> {
  const cursor = createFollowCursor(options);
  const outcome = await followBySocket({
    url: options.client.websocketUrl(),
    executionId: options.executionId,
    cursor,
    onNotice: options.handlers.onNotice,
    waitForRoom: options.handlers.waitForRoom,
    openSocket: options.openSocket,
    headers: options.client.authHeaders,
  });
  if (outcome.kind === 'ended') return outcome.result;
  options.handlers.onNotice?.(`no live feed (${outcome.reason}); polling the server instead`);
  return followByPolling(options, cursor);
}

const END_GRACE_MS = 500;

// Slower than the socket but needs nothing beyond the REST API, so a proxy that refuses upgrades still works.
async function followByPolling(options: FollowOptions, cursor: FollowCursor): Promise<FollowResult> {
  const interval = options.pollIntervalMs ?? 500;
  const seen = new Map<string, WireStep['status']>();
  for (;;) {
    const { execution, steps } = await options.client.get<FollowResult>(`/api/executions/${options.executionId}`);
    if (isTerminalStatus(execution.status)) {
      // As in follow-by-socket: a just-ended run may still be flushing its last lines and artifacts.
      const age = Date.now() - (Date.parse(execution.completed_at ?? '') || 0);
      if (age < END_GRACE_MS) await sleep(END_GRACE_MS - Math.max(0, age));
      return cursor.finish();
    }
    await cursor.catchUp();
    // Only changed steps are queued, so a long poll does not replay every step each round.
    const changed = steps.filter((step) => seen.get(step.id) !== step.status);
    for (const step of changed) seen.set(step.id, step.status);
    cursor.steps(changed);
    await sleep(interval);
  }
}
