// Owns ending a script whose spawner helper died: nobody can report its exit any more, so watch for it instead.
import { isProcessGroupAlive } from '../kill-process-group.js';
import type { SpawnerChild } from './spawner-child.js';

const POLL_MS = 250;

/**
 * Reports the script as exited (status unknown: code and signal null) once its process group is
 * gone or it has closed both outputs, whichever is first, then calls `done`. Returns a function
 * that stops watching (the server is closing). The timer keeps the process alive on purpose:
 * the script's outcome is still owed to the runner.
 */
export function watchOrphanedChild(child: SpawnerChild, done: () => void): () => void {
  const timer = setInterval(() => {
    const outputsClosed = child.stdout?.destroyed === true && child.stderr?.destroyed === true;
    const pid = child.pid;
    if (!outputsClosed && pid !== undefined && isProcessGroupAlive(pid)) return;
    clearInterval(timer);
    child.exited(null, null);
    done();
  }, POLL_MS);
  return () => clearInterval(timer);
}
