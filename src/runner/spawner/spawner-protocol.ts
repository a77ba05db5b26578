// Owns the wire between the server and its spawner helper: the IPC messages and the helper's environment.
import type { SpawnRequest } from '../spawn-command.js';

/** Server → spawner: start one script whose output goes to fresh pipes tagged with `id`. */
export interface SpawnMessage extends SpawnRequest {
  type: 'spawn';
  id: number;
}

/** Server → spawner: the server has opened the read ends of `id`'s pipes, so the helper drops its own. */
export interface OpenedMessage {
  type: 'opened';
  id: number;
}

/** Server → spawner: anything the helper acts on. */
export type SpawnerRequest = SpawnMessage | OpenedMessage;

/** Spawner → server: what happened to the script of `id`; `outputs` are the paths of its stdout and stderr pipes. */
export type SpawnerReply =
  | { type: 'spawned'; id: number; pid: number; outputs: [string, string] }
  | { type: 'failed'; id: number; code: string | null; message: string }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };

/** Names the private 0700 folder where the helper makes the scripts' named pipes, through its environment. */
export const PIPE_DIR_ENV = 'STEPFLOW_SPAWNER_DIR';

/** stdout is stream 1 and stderr stream 2, as their file descriptors. */
export type OutputIndex = 1 | 2;

/** True for a message the server may act on; a malformed one is a bug in the spawner and is dropped. */
export function isSpawnerReply(message: unknown): message is SpawnerReply {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id, outputs } = message as { type?: unknown; id?: unknown; outputs?: unknown };
  if (typeof id !== 'number') return false;
  if (type === 'spawned')
    return Array.isArray(outputs) && outputs.length === 2 && outputs.every((path) => typeof path === 'string');
  return type === 'failed' || type === 'exit';
}

/** True for a request the helper may act on; it ignores anything else. */
export function isSpawnerRequest(message: unknown): message is SpawnerRequest {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Omit<Partial<SpawnMessage>, 'type'> & { type?: unknown };
  if (typeof m.id !== 'number') return false;
  if (m.type === 'opened') return true;
  return (
    m.type === 'spawn' &&
    typeof m.file === 'string' &&
    Array.isArray(m.args) &&
    typeof m.cwd === 'string' &&
    typeof m.env === 'object'
  );
}
