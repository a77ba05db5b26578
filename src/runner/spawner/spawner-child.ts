// Owns the server's view of one script started by the spawner helper: a ChildProcess look-alike the runner drives.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ScriptChild } from '../spawn-command.js';
import type { OutputIndex } from './spawner-protocol.js';

/**
 * A script the local spawner helper started for this server (not a remote machine's child).
 * Emits what a Node ChildProcess would, in the same order: 'spawn' (once the pid has arrived and
 * the server has opened both output pipes) or 'error', then 'exit'. Its stdout and stderr read
 * the pipes the script writes to.
 */
export class SpawnerChild extends EventEmitter implements ScriptChild {
  pid: number | undefined = undefined;
  stdout: Socket | null = null;
  stderr: Socket | null = null;
  private spawnedPid: number | null = null;
  private readonly outputs = new Map<OutputIndex, Socket>();
  private pendingExit: [number | null, NodeJS.Signals | null] | null = null;
  private state: 'starting' | 'running' | 'failed' | 'exited' = 'starting';

  /** The spawner started the script as `pid`. */
  spawned(pid: number): void {
    if (this.state !== 'starting') return;
    this.spawnedPid = pid;
    this.startIfReady();
  }

  /** The server opened one of the script's output pipes. */
  attach(stream: OutputIndex, socket: Socket): void {
    if (this.state === 'failed' || this.state === 'exited' || this.outputs.has(stream)) {
      socket.destroy();
      return;
    }
    this.outputs.set(stream, socket);
    this.startIfReady();
  }

  /**
   * The script could not be started; `code` is the errno name (ENOENT, EACCES, …) when there is one.
   * Once the spawner said the script started, it is running whatever else went wrong, unless
   * `evenIfSpawned` (its output could not be read, so the caller has killed it).
   */
  failed(code: string | null, message: string, evenIfSpawned = false): void {
    if (this.state !== 'starting' || (this.spawnedPid !== null && !evenIfSpawned)) return;
    this.state = 'failed';
    for (const socket of this.outputs.values()) socket.destroy();
    const error = Object.assign(new Error(message), code === null ? {} : { code });
    this.emit('error', error);
  }

  /** The script exited (code or signal; both null when the spawner could not tell). */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === 'starting') this.pendingExit = [code, signal];
    else if (this.state === 'running') {
      this.state = 'exited';
      this.emit('exit', code, signal);
    }
  }

  /** True once the script's fate is known to the runner (it started and exited, or it failed to start). */
  get settled(): boolean {
    return this.state === 'failed' || this.state === 'exited';
  }

  private startIfReady(): void {
    const stdout = this.outputs.get(1);
    const stderr = this.outputs.get(2);
    if (this.spawnedPid === null || stdout === undefined || stderr === undefined) return;
    this.state = 'running';
    this.pid = this.spawnedPid;
    this.stdout = stdout;
    this.stderr = stderr;
    this.emit('spawn');
    if (this.pendingExit !== null) this.exited(...this.pendingExit);
  }
}
