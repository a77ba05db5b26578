// Owns signalling a whole process group (a script and every descendant that stayed in its group).
import { errorCode } from '../core/error-code.js';

/** Sends `signal` to every process in group `pgid`; false when the group no longer exists. */
export function killProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  assertGroupId(pgid);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
    throw error;
  }
}

/**
 * True while any process of group `pgid` exists. Zombies count as alive here (signal 0 cannot
 * tell them apart), which only costs a harmless extra SIGKILL.
 */
export function isProcessGroupAlive(pgid: number): boolean {
  assertGroupId(pgid);
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM means the group exists but belongs to someone else: still alive.
    return errorCode(error) === 'EPERM';
  }
}

/** True while process `pid` exists (EPERM: it exists but is someone else's). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

// kill(-0) would signal our own group and kill(-1) every process we may signal: never allow them.
function assertGroupId(pgid: number): void {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`refusing to signal process group ${pgid}`);
}
