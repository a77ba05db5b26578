// Owns the wire between the server and its spawner helper: IPC messages and the header that opens each output socket.
import type { SpawnRequest } from '../spawn-command.js';

/** Server → spawner: start one script whose output goes to sockets tagged with `id`. */
export interface SpawnMessage extends SpawnRequest {
  type: 'spawn';
  id: number;
}

/** Spawner → server: what happened to the script of `id`. */
export type SpawnerReply =
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'failed'; id: number; code: string | null; message: string }
  | { type: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null };

/** Names the socket (and the token proving it) for the spawner process, through its environment. */
export const SOCKET_ENV = 'STEPFLOW_SPAWNER_SOCKET';
export const TOKEN_ENV = 'STEPFLOW_SPAWNER_TOKEN';

/** stdout is stream 1 and stderr stream 2, as their file descriptors. */
export type OutputIndex = 1 | 2;

const TOKEN_CHARS = 32;
const ID_CHARS = 12;
/** token ":" id ":" stream "\n": fixed length, so the server reads exactly the header and nothing of the output. */
export const HEADER_BYTES = TOKEN_CHARS + 1 + ID_CHARS + 1 + 1 + 1;

/** The first bytes the spawner writes on an output socket, before the script gets it. */
export function formatHeader(token: string, id: number, stream: OutputIndex): string {
  if (token.length !== TOKEN_CHARS) throw new RangeError('spawner token must be 32 characters');
  return `${token}:${id.toString(16).padStart(ID_CHARS, '0')}:${stream}\n`;
}

/** Reads a header; null for anything that is not exactly one. */
export function parseHeader(header: Buffer): { token: string; id: number; stream: OutputIndex } | null {
  const match = /^([0-9a-f]{32}):([0-9a-f]{12}):([12])\n$/.exec(header.toString('latin1'));
  if (!match) return null;
  const [, token = '', id = '', stream] = match;
  return { token, id: Number.parseInt(id, 16), stream: stream === '1' ? 1 : 2 };
}

/** True for a message the server may act on; a malformed one is a bug in the spawner and is dropped. */
export function isSpawnerReply(message: unknown): message is SpawnerReply {
  if (typeof message !== 'object' || message === null) return false;
  const { type, id } = message as { type?: unknown; id?: unknown };
  return (type === 'spawned' || type === 'failed' || type === 'exit') && typeof id === 'number';
}

/** True for a spawn request; the spawner ignores anything else. */
export function isSpawnMessage(message: unknown): message is SpawnMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Partial<SpawnMessage>;
  return m.type === 'spawn' && typeof m.id === 'number' && typeof m.file === 'string' && Array.isArray(m.args) && typeof m.cwd === 'string' && typeof m.env === 'object';
}
