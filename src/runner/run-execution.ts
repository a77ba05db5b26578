// Owns running one execution: spawn, bytes → lines → engine, effects to the sink, cancel, timeout, kill and exit.
import { isTerminalStatus } from '../core/execution.js';
import { applyEngineEvent } from '../engine/apply-engine-event.js';
import { createEngineState } from '../engine/create-engine-state.js';
import type { EngineEffect, EngineEvent, EngineState, ExecutionProgress } from '../engine/engine-types.js';
import { maskExecution, maskText } from '../engine/secret-mask.js';
import { createGroupStopper } from './create-group-stopper.js';
import type { GroupStopper } from './create-group-stopper.js';
import { describeSpawnFailure } from './describe-spawn-failure.js';
import { ScriptOutputs } from './script-outputs.js';
import { commandProgram, spawnLocally, toSpawnRequest } from './spawn-command.js';
import type { ScriptChild } from './spawn-command.js';
import type { RunDeps, RunHandle, RunRequest } from './run-types.js';
import { startLongTimer } from './start-long-timer.js';

export type { RunDeps, RunHandle, RunRequest } from './run-types.js';

/** Starts `request` in its own process group and drives the engine with everything that happens to it. */
export function runExecution(request: RunRequest, deps: RunDeps): RunHandle {
  const run = new ExecutionRun(request, deps);
  run.start();
  return {
    get pid(): number | null {
      return run.pid;
    },
    cancel: () => run.guardedCancel(),
    notice: (content) => run.notice(content),
    pause: () => run.setPaused(true),
    resume: () => run.setPaused(false),
    mask: (text) => run.mask(text),
    done: run.done,
  };
}

class ExecutionRun {
  readonly done: Promise<ExecutionProgress>;
  pid: number | null = null;
  private resolveDone: (progress: ExecutionProgress) => void = () => {};
  private state: EngineState;
  private batch: EngineEffect[] = [];
  private delivering = false;
  private child: ScriptChild | null = null;
  private outputs: ScriptOutputs | null = null;
  private stopper: GroupStopper | null = null;
  private started = false;
  private spawnFailed = false;
  private cancelWhenStarted = false;
  private exit: { code: number | null; signal: string | null } | null = null;
  private finalized = false;
  private finished = false;
  private sinkFailed = false;
  private engineFailed = false;
  private lineAt = 0;
  private cancelTimeout: () => void = () => {};
  private orphanTimer: ReturnType<typeof setTimeout> | null = null;
  private releaseLimit: (() => void) | null = null;
  private paused = false;

  constructor(
    private readonly request: RunRequest,
    private readonly deps: RunDeps,
  ) {
    this.state = createEngineState(request.engineOptions, request.metadata);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  start(): void {
    let child: ScriptChild;
    try {
      // The slot is released in finish(), which every outcome reaches, a failed spawn included.
      const slot = this.deps.limitProcesses?.() ?? null;
      this.releaseLimit = slot?.release ?? null;
      const { command, cwd, environment, confinement } = this.request;
      child = (this.deps.spawnChild ?? spawnLocally)(
        toSpawnRequest(command, cwd, environment, slot?.dir ?? null, confinement),
      );
    } catch (error) {
      // Report asynchronously, like every other outcome, so effects never arrive before the handle.
      queueMicrotask(() => this.guard(() => this.onSpawnError(error)));
      return;
    }
    this.child = child;
    child.once('spawn', () => this.guard(() => this.onSpawn()));
    child.on('error', (error) => this.guard(() => this.onSpawnError(error)));
    child.once('exit', (code, signal) => this.guard(() => this.onExit(code, signal)));
  }

  /** Pauses or resumes reading output; streams attached later start paused too. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    this.outputs?.setPaused(paused);
  }

  /** The handle's cancel: a caller's request must never throw back at it. */
  guardedCancel(): void {
    this.guard(() => this.cancel());
  }

  /** Masks `text` with every secret the engine knows so far (the host's summaries leave the run masked like its log). */
  mask(text: string): string {
    return maskText(this.state.secrets, text);
  }

  /** Feeds a host's line through the engine so line numbers stay the engine's alone. */
  notice(content: string): boolean {
    if (this.finished || this.engineFailed || isTerminalStatus(this.state.execution.status)) return false;
    this.guard(() => {
      this.apply({ type: 'notice', at: this.deps.clock.now(), content });
      this.flush();
    });
    return true;
  }

  private cancel(): void {
    if (this.finished) return;
    if (!this.started) {
      this.cancelWhenStarted = true;
      return;
    }
    this.apply({ type: 'cancel_requested', at: this.deps.clock.now() });
    this.flush();
  }

  private onSpawn(): void {
    const child = this.child;
    if (child === null || child.pid === undefined || this.spawnFailed) return;
    if (child.stdout === null || child.stderr === null) throw new Error('the spawned script has no output streams');
    this.pid = child.pid;
    this.stopper = createGroupStopper(this.pid, this.request.killGraceMs, this.deps.logger);
    // Attached only now: a spawner's child gets its streams just before 'spawn'; a Node child buffers until then.
    this.outputs = this.watchOutputs(child.stdout, child.stderr);
    if (this.paused) this.outputs.setPaused(true);
    this.started = true;
    this.apply({ type: 'started', at: this.deps.clock.now(), pid: this.pid });
    this.flush();
    const seconds = this.request.timeoutSeconds;
    if (seconds !== null && Number.isFinite(seconds) && seconds > 0) {
      this.cancelTimeout = startLongTimer(seconds * 1000, () =>
        this.guard(() => {
          this.apply({ type: 'timed_out', at: this.deps.clock.now(), timeout_seconds: seconds });
          this.flush();
        }),
      );
    }
    if (this.cancelWhenStarted) this.cancel();
  }

  private onSpawnError(error: unknown): void {
    // After a successful spawn, 'error' can only come from signalling, which the runner does not do via the child.
    if (this.started || this.spawnFailed || this.finished) return;
    this.spawnFailed = true;
    const program = commandProgram(this.request.command);
    void describeSpawnFailure(error, program, this.request.cwd).then((message) =>
      this.guard(() => {
        this.apply({ type: 'spawn_failed', at: this.deps.clock.now(), message });
        this.flush();
        this.finishWithoutEngine(message);
      }),
    );
  }

  private watchOutputs(
    stdout: NonNullable<ScriptChild['stdout']>,
    stderr: NonNullable<ScriptChild['stderr']>,
  ): ScriptOutputs {
    return new ScriptOutputs(stdout, stderr, {
      beforeBatch: () => {
        if (!this.finalized) this.lineAt = this.deps.clock.now();
      },
      maskAhead: (content) => this.apply({ type: 'mask_ahead', content }),
      line: (stream, content, continuation) =>
        this.apply({ type: 'line', at: this.lineAt, stream, content, continuation }),
      afterBatch: () => this.flush(),
      closed: () => {
        if (this.exit !== null && this.outputs?.allClosed === true) this.finalize();
      },
      guard: (handler) => this.guard(handler),
    });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.started || this.exit !== null) return;
    this.exit = { code, signal };
    this.cancelTimeout();
    if (this.outputs?.allClosed !== false) this.finalize();
    // A background grandchild may keep the pipes open forever; don't wait for it longer than this.
    else this.orphanTimer = setTimeout(() => this.guard(() => this.finalize()), this.deps.orphanWaitMs ?? 2000);
  }

  /** Ends the execution after the script exited: nothing of its group may outlive this. */
  private finalize(): void {
    if (this.finalized || this.exit === null) return;
    this.finalized = true;
    if (this.orphanTimer !== null) clearTimeout(this.orphanTimer);
    this.stopper?.killNow();
    const at = this.deps.clock.now();
    this.lineAt = at;
    this.outputs?.closeAll();
    this.apply({ type: 'exited', at, exit_code: this.exit.code, signal: this.exit.signal });
    this.flush();
    this.finishWithoutEngine('internal error: the engine did not finish the execution');
  }

  private apply(event: EngineEvent): void {
    if (this.finished || this.engineFailed) return;
    try {
      const transition = applyEngineEvent(this.state, event);
      this.state = transition.state;
      for (const effect of transition.effects) this.batch.push(effect);
    } catch (error) {
      this.engineFailed = true;
      this.deps.logger.error({ err: error, pid: this.pid }, 'runner: engine failed; killing the process group');
      this.stopper?.killNow();
    }
  }

  /** Delivers the batched effects in one call and acts on kill/finish; re-entrant calls just append. */
  private flush(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.batch.length > 0) {
        const effects = this.batch;
        this.batch = [];
        this.deliver(effects);
        for (const effect of effects) {
          if (effect.type === 'kill_process_group') this.stopper?.terminate();
          else if (effect.type === 'finished') this.finish(effect.execution);
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private deliver(effects: EngineEffect[]): void {
    try {
      this.deps.onEffects(effects);
    } catch (error) {
      // The host can no longer record this run, so it must not keep running unobserved.
      if (!this.sinkFailed)
        this.deps.logger.error({ err: error, pid: this.pid }, 'runner: effect sink failed; killing the process group');
      this.sinkFailed = true;
      this.stopper?.killNow();
    }
  }

  private finish(execution: ExecutionProgress): void {
    if (this.finished) return;
    this.finished = true;
    this.cancelTimeout();
    if (this.orphanTimer !== null) clearTimeout(this.orphanTimer);
    this.stopper?.dispose();
    if (this.child !== null && this.exit === null) {
      // Only reachable if the engine finishes early; the script must not outlive its execution.
      this.stopper?.killNow();
      this.outputs?.destroyAll();
    }
    // Also kills descendants that left the process group (setsid), which the group kill cannot reach.
    this.releaseLimit?.();
    this.resolveDone(execution);
  }

  /** Finishes without the engine's help (it failed or stayed silent), telling the sink too. */
  private finishWithoutEngine(message: string): void {
    if (this.finished) return;
    // Masked like every engine effect: this progress is stored and published too.
    const execution = maskExecution(this.state.secrets, this.state.execution);
    if (isTerminalStatus(execution.status)) return this.finish(execution);
    const progress: ExecutionProgress = {
      ...execution,
      status: 'failed',
      error_message: message,
      completed_at: this.deps.clock.now(),
    };
    this.deliver([{ type: 'finished', execution: progress }]);
    this.finish(progress);
  }

  /** Runs an event handler so that nothing escapes into the event loop and nothing keeps running. */
  private guard(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.deps.logger.error({ err: error, pid: this.pid }, 'runner: unexpected error; killing the process group');
      this.stopper?.killNow();
      // Once the script has exited nothing else will call finish, and done must still resolve.
      if (this.finalized || this.spawnFailed) this.finishWithoutEngine('internal error in the runner');
    }
  }
}
