// Owns the spawner helper process: it forks and execs scripts for the server, so the server's event loop never blocks on fork.
//
// Node's spawn blocks its thread until the child has exec'd (about 7 ms here, more under load).
// The server sends each spawn request over IPC; this process connects two sockets to the server's
// private listener, tags them with a header, starts the script with them as stdout and stderr and
// closes its own copies: the script's output flows straight to the server, never through here.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { errorCode } from '../../core/error-code.js';
import { startProcess } from '../spawn-command.js';
import { formatHeader, isSpawnMessage, SOCKET_ENV, TOKEN_ENV } from './spawner-protocol.js';
import type { OutputIndex, SpawnerReply, SpawnMessage } from './spawner-protocol.js';

const socketPath = process.env[SOCKET_ENV] ?? '';
const token = process.env[TOKEN_ENV] ?? '';

function reply(message: SpawnerReply): void {
  if (process.connected) process.send?.(message);
}

/** Connects one output socket and writes its header; resolves once the header has left this process. */
function openOutput(id: number, stream: OutputIndex): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.write(formatHeader(token, id, stream), (error) => (error ? reject(error) : resolve(socket)));
    });
  });
}

function describe(error: unknown): { code: string | null; message: string } {
  return { code: errorCode(error) ?? null, message: error instanceof Error ? error.message : String(error) };
}

async function spawnScript(request: SpawnMessage): Promise<void> {
  const outputs: Socket[] = [];
  try {
    outputs.push(await openOutput(request.id, 1), await openOutput(request.id, 2));
  } catch (error) {
    for (const socket of outputs) socket.destroy();
    reply({ type: 'failed', id: request.id, ...describe(error) });
    return;
  }
  let child: ChildProcess;
  try {
    child = startProcess(request, ['ignore', outputs[0], outputs[1]]);
  } catch (error) {
    reply({ type: 'failed', id: request.id, ...describe(error) });
    return;
  } finally {
    // The script holds its own copies now (or none, if it never started): ours would keep them open.
    for (const socket of outputs) socket.destroy();
  }
  child.once('spawn', () => reply({ type: 'spawned', id: request.id, pid: child.pid ?? 0 }));
  child.once('error', (error) => reply({ type: 'failed', id: request.id, ...describe(error) }));
  child.once('exit', (code, signal) => reply({ type: 'exit', id: request.id, code, signal }));
}

process.on('message', (message: unknown) => {
  if (isSpawnMessage(message)) void spawnScript(message);
});
// The server decides when this process ends (it disconnects); a Ctrl-C to the terminal's process group must not end it first.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));
