// Owns the server's side of the spawner helper: its private pipe folder, the helper process, routing its replies and opening the scripts' output pipes.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../kill-process-group.js';
import type { SpawnChild, SpawnRequest } from '../spawn-command.js';
import { openOutputPipes } from './open-output-pipes.js';
import { SpawnerChild } from './spawner-child.js';
import { isSpawnerReply, PIPE_DIR_ENV } from './spawner-protocol.js';
import type { SpawnerReply, SpawnerRequest } from './spawner-protocol.js';
import { watchOrphanedChild } from './watch-orphaned-child.js';

/** Starts scripts through the helper process; `close` ends the helper and removes its pipe folder. */
export interface Spawner {
  spawn: SpawnChild;
  /** The helper's pid, or null while none runs (it is started again on the next spawn). */
  readonly helperPid: number | null;
  close(): Promise<void>;
}

export interface SpawnerOptions {
  /** Told when the helper process ends unexpectedly (it is started again on the next spawn). */
  onHelperExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** The helper's entry: its source under tsx (tests, `npm run dev`), dist/spawner.mjs beside the bundle otherwise. */
function helperEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts'))
    return { file: join(dirname(here), 'spawner-main.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  return { file: join(dirname(here), 'spawner.mjs'), execArgv: [] };
}

const DIR_PREFIX = 'stepflow-spawner-';

/** Removes the pipe folders of server processes that died without closing (kill -9); others' folders are left alone. */
function sweepStaleFolders(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = new RegExp(`^${DIR_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (pid === undefined || isProcessAlive(Number(pid))) continue;
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // Another user's folder (0700): not ours to remove.
    }
  }
}

/** Makes the private pipe folder and starts the helper process. */
export async function startSpawner(options: SpawnerOptions = {}): Promise<Spawner> {
  const entry = helperEntry();
  if (!existsSync(entry.file)) throw new Error(`the process spawner is missing (${entry.file}); run npm run build`);
  try {
    sweepStaleFolders();
  } catch {
    // Only tidiness: an unreadable temp folder must not stop the server.
  }
  // mkdtemp makes the folder 0700: only this user can reach the pipes by name.
  const dir = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  // A server that exits without close() (a second Ctrl-C) still takes its folder along.
  const removeOnExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const host = new SpawnerHost(entry, dir, options);
  host.startHelper();
  return {
    spawn: (request) => host.spawn(request),
    get helperPid(): number | null {
      return host.helperPid;
    },
    close: async () => {
      await host.close();
      process.off('exit', removeOnExit);
    },
  };
}

class SpawnerHost {
  private readonly children = new Map<number, SpawnerChild>();
  private nextId = 0;
  private helper: ChildProcess | null = null;
  private closing = false;
  private readonly stopWatching = new Set<() => void>();

  constructor(
    private readonly entry: { file: string; execArgv: string[] },
    private readonly dir: string,
    private readonly options: SpawnerOptions,
  ) {}

  get helperPid(): number | null {
    return this.helper?.pid ?? null;
  }

  spawn(request: SpawnRequest): SpawnerChild {
    if (this.closing) throw new Error('the server is shutting down');
    const helper = (this.helper ??= this.startHelper());
    const id = ++this.nextId;
    const child = new SpawnerChild();
    this.children.set(id, child);
    this.send(helper, { type: 'spawn', id, ...request });
    return child;
  }

  startHelper(): ChildProcess {
    const started = fork(this.entry.file, [], {
      execArgv: this.entry.execArgv,
      env: { [PIPE_DIR_ENV]: this.dir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    started.on('message', (message: unknown) => {
      if (isSpawnerReply(message)) this.route(started, message);
    });
    started.once('exit', (code, signal) => this.onHelperGone(started, code, signal));
    started.once('error', () => this.onHelperGone(started, null, null));
    this.helper = started;
    return started;
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const stop of this.stopWatching) stop();
    this.stopWatching.clear();
    const current = this.helper;
    if (current !== null && current.exitCode === null && current.signalCode === null) {
      const gone = new Promise((resolve) => current.once('exit', resolve));
      if (current.connected) current.disconnect();
      else current.kill('SIGKILL');
      const timer = setTimeout(() => current.kill('SIGKILL'), 2000);
      await gone;
      clearTimeout(timer);
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private send(helper: ChildProcess, message: SpawnerRequest): void {
    if (helper.connected) helper.send(message);
  }

  /** Opens the read ends of a started script's pipes, then lets the helper drop its hold on them. */
  private async attachOutputs(
    helper: ChildProcess,
    id: number,
    child: SpawnerChild,
    pid: number,
    paths: readonly [string, string],
  ): Promise<void> {
    const opened = await openOutputPipes(paths);
    this.send(helper, { type: 'opened', id });
    if (opened instanceof Error) {
      // Nobody could read its output: it must not run on unobserved.
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      child.failed(null, opened.message, true);
    } else {
      child.attach(1, opened[0]);
      child.attach(2, opened[1]);
    }
    this.forgetIfSettled(id, child);
  }

  private route(helper: ChildProcess, reply: SpawnerReply): void {
    const child = this.children.get(reply.id);
    if (child === undefined) return;
    if (reply.type === 'spawned') {
      child.spawned(reply.pid);
      void this.attachOutputs(helper, reply.id, child, reply.pid, reply.outputs);
    } else if (reply.type === 'failed') child.failed(reply.code, reply.message);
    else child.exited(reply.code, reply.signal);
    this.forgetIfSettled(reply.id, child);
  }

  private forgetIfSettled(id: number, child: SpawnerChild): void {
    if (child.settled) this.children.delete(id);
  }

  private onHelperGone(helper: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.helper !== helper) return;
    this.helper = null;
    if (!this.closing) this.options.onHelperExit?.(code, signal);
    // Scripts it had not started yet never will; started ones run on, but their exit status is lost with it.
    for (const [id, child] of this.children) {
      child.failed(null, 'the process spawner exited before the script started');
      if (child.settled) this.children.delete(id);
      else {
        const stop = watchOrphanedChild(child, () => {
          this.stopWatching.delete(stop);
          this.forgetIfSettled(id, child);
        });
        this.stopWatching.add(stop);
      }
    }
  }
}
