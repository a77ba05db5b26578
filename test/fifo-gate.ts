// Owns a named pipe a test uses to let a script go on one step at a time, so ordering never rests on sleeps.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A named pipe: the script runs `exec 3<"$GATE"` once and `read _ <&3` at each pause; the test calls `release()`. */
export interface FifoGate {
  /** Path of the pipe, for the script's environment (`GATE`). */
  path: string;
  /** Lets the script past one `read` (a release before the script reads waits in the pipe). */
  release(): Promise<void>;
  /** Closes the pipe (a script still reading sees end of file) and removes its folder. */
  close(): Promise<void>;
}

/** Creates a gate in a fresh temp folder. */
export function createFifoGate(): FifoGate {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-gate-'));
  const path = join(dir, 'gate');
  execFileSync('mkfifo', [path]);
  // Read-write, so neither this open nor the script's open for reading waits for the other end (Linux semantics).
  const writer: Promise<FileHandle> = open(path, 'r+');
  return {
    path,
    async release() {
      await (await writer).write('\n');
    },
    async close() {
      await (await writer).close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
