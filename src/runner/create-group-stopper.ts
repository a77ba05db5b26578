// Owns the SIGTERM-then-SIGKILL escalation for one process group.
import { isProcessGroupAlive, killProcessGroup } from './kill-process-group.js';
import type { RunnerLogger } from './run-types.js';

/** Stops one process group politely first, then by force. */
export interface GroupStopper {
  /** Sends SIGTERM once and SIGKILL after the grace period if any member is still alive. */
  terminate(): void;
  /** Sends SIGKILL to whatever is left of the group, right now. */
  killNow(): void;
  /** Cancels a pending SIGKILL timer (call once the execution has finished). */
  dispose(): void;
}

/** Creates the stopper for group `pgid` with a SIGTERM → SIGKILL grace of `graceMs`; a signal that cannot be sent is logged. */
export function createGroupStopper(pgid: number, graceMs: number, logger: RunnerLogger): GroupStopper {
  let graceTimer: ReturnType<typeof setTimeout> | null = null;
  let terminated = false;

  const send = (signal: NodeJS.Signals): void => {
    try {
      killProcessGroup(pgid, signal);
    } catch (error) {
      // Only EPERM or a bad id get here; nothing else can be done, so make it visible.
      logger.error({ err: error, pgid, signal }, 'runner: cannot signal the process group');
    }
  };

  return {
    terminate() {
      if (terminated) return;
      terminated = true;
      send('SIGTERM');
      graceTimer = setTimeout(() => {
        graceTimer = null;
        if (isProcessGroupAlive(pgid)) send('SIGKILL');
      }, graceMs);
    },
    killNow: () => send('SIGKILL'),
    dispose() {
      if (graceTimer !== null) clearTimeout(graceTimer);
      graceTimer = null;
    },
  };
}
