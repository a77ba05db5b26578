// Owns the spawner helper process: it forks and execs scripts for the server, so the server's event loop never blocks on fork.
//
// Node's spawn blocks its thread until the child has exec'd (about 7 ms here, more under load).
// The server sends each spawn request over IPC; this process gives the script two named pipes
// (FIFOs) as stdout and stderr, real pipes as under any shell, and tells the server their paths.
// The server opens their read ends itself: the script's output flows straight to the server,
// never through here. Until the server says it has opened them, this process holds each pipe
// open for reading too, so an early write neither fails nor blocks on a missing reader.
import type { ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { errorCode } from '../../core/error-code.js';
import { startProcess } from '../spawn-command.js';
import { FifoPool } from './fifo-pool.js';
import { isSpawnerRequest, PIPE_DIR_ENV } from './spawner-protocol.js';
import type { SpawnerReply, SpawnMessage } from './spawner-protocol.js';

const pool = new FifoPool(process.env[PIPE_DIR_ENV] ?? '');
/** Per script id: this process's read ends of its pipes and their paths, until the server has opened its own. */
const held = new Map<number, { fds: number[]; paths: string[] }>();

function reply(message: SpawnerReply): void {
  // A server killed between a request and its answer leaves a broken channel (EPIPE) before 'disconnect' arrives: this
  // process then ends as it would on 'disconnect', instead of dying on an unhandled 'error' event.
  if (process.connected) process.send?.(message, undefined, {}, (error) => error && process.exit(0));
}

function describe(error: unknown): { code: string | null; message: string } {
  return { code: errorCode(error) ?? null, message: error instanceof Error ? error.message : String(error) };
}

function closeAll(fds: readonly number[]): void {
  for (const fd of fds) closeSync(fd);
}

/** Drops this process's hold on a script's pipes; once both ends are open elsewhere the names are no longer needed. */
function release(id: number): void {
  const pipes = held.get(id);
  if (pipes === undefined) return;
  held.delete(id);
  closeAll(pipes.fds);
  for (const path of pipes.paths) rmSync(path, { force: true });
}

/** Opens each FIFO for reading (held here) and for writing (the script's end; O_RDWR first, so this open cannot block). */
function openPipes(paths: readonly string[]): { held: number[]; script: number[] } {
  const fds = { held: [] as number[], script: [] as number[] };
  try {
    for (const path of paths) {
      fds.held.push(openSync(path, constants.O_RDWR));
      fds.script.push(openSync(path, constants.O_WRONLY));
    }
    return fds;
  } catch (error) {
    closeAll([...fds.held, ...fds.script]);
    throw error;
  }
}

async function spawnScript(request: SpawnMessage): Promise<void> {
  let paths: [string, string];
  let fds: { held: number[]; script: number[] };
  try {
    paths = [await pool.take(), await pool.take()];
    fds = openPipes(paths);
  } catch (error) {
    reply({ type: 'failed', id: request.id, ...describe(error) });
    return;
  }
  held.set(request.id, { fds: fds.held, paths });
  let child: ChildProcess;
  try {
    child = startProcess(request, ['ignore', fds.script[0], fds.script[1]]);
  } catch (error) {
    release(request.id);
    reply({ type: 'failed', id: request.id, ...describe(error) });
    return;
  } finally {
    // The script holds its own copies now (or none, if it never started): ours would keep the pipes open.
    closeAll(fds.script);
  }
  child.once('spawn', () => reply({ type: 'spawned', id: request.id, pid: child.pid ?? 0, outputs: paths }));
  child.once('error', (error) => {
    release(request.id);
    reply({ type: 'failed', id: request.id, ...describe(error) });
  });
  child.once('exit', (code, signal) => reply({ type: 'exit', id: request.id, code, signal }));
}

process.on('message', (message: unknown) => {
  if (!isSpawnerRequest(message)) return;
  if (message.type === 'opened') release(message.id);
  else void spawnScript(message);
});
// The server decides when this process ends (it disconnects); a Ctrl-C to the terminal's process group must not end it first.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => process.exit(0));
