// Owns one execution on an agent: the runner and engine on this machine, effects cut into numbered batches, spooled, sent in order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_MAX_BATCH_EFFECTS, type AgentAssignment, type AgentEffect } from '../core/agent-protocol.js';
import { PendingBatch } from './pending-batch.js';
import { RunFlow } from './run-flow.js';
import { systemClock } from '../core/clock.js';
import type { EngineEffect } from '../engine/engine-types.js';
import { buildChildEnvironment } from '../runner/build-child-environment.js';
import { runExecution, type RunHandle } from '../runner/run-execution.js';
import { AgentRequestError, type AgentClient } from './agent-client.js';
import type { AgentRules } from './agent-rules.js';
import type { BatchSpool } from './batch-spool.js';
import type { BatchSender } from './batch-sender.js';
import type { Spawner } from '../runner/spawner/start-spawner.js';
import { uploadArtifact, type UploadContext } from './upload-artifact.js';
import { readMarkerDialects, type MarkerDialect } from '../markers/marker-dialect.js';

/** What one run needs from its agent. */
export interface AgentRunDeps {
  client: AgentClient;
  spool: BatchSpool;
  /** The agent's session, waiting while the agent registers again. */
  session(): Promise<string>;
  /** Tells the agent its session is gone (the server restarted): it registers again. */
  sessionLost(): void;
  workDir: string;
  /** The server's rules as of the last registration: the environment scripts inherit, the values masked, the size limit. */
  rules(): AgentRules;
  killGraceMs: number;
  log(message: string): void;
  /** Longest wait between retries. */
  maxBackoff(): number;
  /** Sends batches, several runs' in one request; shared by the agent's runs. */
  sender: BatchSender;
  /** The agent's spawner helper (null before it started: the script is then forked from the agent). */
  spawner(): Spawner | null;
  /** Called once the run's last batch is acknowledged (or the server no longer holds it). */
  ended(executionId: string): void;
}

// While a batch is in flight the next one grows (up to these bounds), so a busy script sends few, large batches.
const BATCH_LINES = 4000;
/** Effects of a batch at most: the protocol's limit, with room for the effects a cut may add. */
const BATCH_EFFECTS = AGENT_MAX_BATCH_EFFECTS - 100;
const BATCH_BYTES = 1024 * 1024;
const BATCH_WAIT_MS = 2;
const MIN_SPOOLED_BATCH = 64 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one assignment and delivers every effect to the server exactly once, in order. */
export class AgentRun {
  private handle: RunHandle | null = null;
  private readonly pending = new PendingBatch();
  private readonly flow: RunFlow;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextSeq = 1;
  private acked = 0;
  private sending = false;
  private finishedSeq: number | null = null;
  private forgotten = false;
  private cwd = '';
  /** The engine's last line number: lines added after the script ended continue from it. */
  private lastLine = 0;
  /** ARTIFACT markers seen; their files are uploaded before the run's end is sent. */
  private artifacts: Extract<AgentEffect, { type: 'artifact' }>[] = [];
  private drained: (() => void)[] = [];

  constructor(
    readonly assignment: AgentAssignment,
    private readonly deps: AgentRunDeps,
  ) {
    this.flow = new RunFlow(
      (paused) => (paused ? this.handle?.pause?.() : this.handle?.resume?.()),
      () => deps.sender.answering,
    );
  }

  start(): void {
    const a = this.assignment;
    let cwd = a.working_directory;
    if (cwd === '') {
      cwd = join(this.deps.workDir, 'runs', a.execution_id);
      mkdirSync(cwd, { recursive: true });
    }
    this.cwd = cwd;
    const rules = this.deps.rules();
    this.handle = runExecution(
      {
        command: a.command,
        cwd,
        environment: buildChildEnvironment(rules.inherited, a.environment, null),
        timeoutSeconds: a.timeout_seconds,
        killGraceMs: this.deps.killGraceMs,
        engineOptions: {
          markerMode: a.marker_mode,
          secrets: [...rules.secrets, ...a.secrets],
          markers: readAssignedDialects(a.markers),
        },
        metadata: a.metadata,
      },
      {
        clock: systemClock,
        onEffects: (effects) => this.onEffects(effects),
        spawnChild: this.deps.spawner()?.spawn,
        logger: {
          error: (fields, message) =>
            this.deps.log(`execution ${a.execution_id}: ${message} ${JSON.stringify(fields)}`),
        },
      },
    );
    if (this.deps.spool.full) this.flow.setSpoolFull(true);
  }

  cancel(): void {
    this.handle?.cancel();
  }

  notice(content: string): void {
    this.handle?.notice(content);
  }

  /** Stops reading output while the spool is full; the script blocks on its pipe, nothing is dropped. */
  setSpoolFull(full: boolean): void {
    this.flow.setSpoolFull(full);
  }

  /** The server stopped or started answering: the run's read-ahead limit applies only while it answers. */
  reconsider(): void {
    this.flow.reconsider();
  }

  /** The server no longer holds this execution: stop the script and drop what was not sent. */
  forget(reason: string): void {
    if (this.forgotten) return;
    this.forgotten = true;
    this.deps.log(`execution ${this.assignment.execution_id}: ${reason}; stopping it`);
    this.handle?.cancel();
    if (this.timer !== null) clearTimeout(this.timer);
    this.deps.spool.dropAll(this.assignment.execution_id);
    this.deps.ended(this.assignment.execution_id);
  }

  private onEffects(effects: EngineEffect[]): void {
    if (this.forgotten) return;
    for (const effect of effects) {
      // A step summary is a file on this machine, which the server cannot read: not sent (see agents.md).
      if (effect.type === 'kill_process_group' || effect.type === 'summary') continue;
      if (effect.type === 'finished') {
        // The end goes last, once the artifacts are uploaded: after it the server no longer holds the execution.
        this.cut();
        void this.finishAfterUploads(effect as AgentEffect);
        return;
      }
      if (effect.type === 'artifact') this.artifacts.push(effect);
      if (effect.type === 'log') {
        this.lastLine = effect.line.line;
        this.pending.addLine(effect.line);
      } else this.pending.add(effect as AgentEffect);
      // Output held in memory counts against the spool: with the server away it goes to disk, and a full spool pauses the script.
      // Never below MIN_SPOOLED_BATCH: a full spool would otherwise turn each line into a batch of its own.
      const bound = Math.min(BATCH_BYTES, Math.max(this.deps.spool.room, MIN_SPOOLED_BATCH));
      const { lines, effects, bytes } = this.pending;
      if (lines >= BATCH_LINES || effects.length >= BATCH_EFFECTS || bytes >= bound) this.cut();
    }
    if (!this.pending.empty && this.timer === null && !this.sending)
      this.timer = setTimeout(() => this.cut(), BATCH_WAIT_MS);
    this.flow.filled(this.pending.bytes);
  }

  /** Numbers the pending effects as the next batch and writes it to the spool before anything is sent. */
  private cut(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.empty || this.forgotten) return;
    const seq = this.nextSeq++;
    const effects = this.pending.take();
    if (effects.at(-1)?.type === 'finished') this.finishedSeq = seq;
    // Bytes, not a string: a batch waits for its acknowledgement outside the JS heap (no garbage collection copies it),
    // and its UTF-8 length is known without counting it again for each request.
    const body = Buffer.from(JSON.stringify({ execution_id: this.assignment.execution_id, seq, effects }));
    this.flow.cut(seq, body.length);
    this.deps.spool.put(this.assignment.execution_id, seq, body);
    void this.pump();
  }

  /** Sends spooled batches oldest first, one at a time, until all are acknowledged; retries with backoff. */
  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    let backoff = 100;
    try {
      while (!this.forgotten && this.acked < this.nextSeq - 1) {
        const seq = this.acked + 1;
        try {
          await this.send(seq);
          this.deps.spool.drop(this.assignment.execution_id, seq);
          this.acked = seq;
          this.flow.acknowledged(seq);
          backoff = 100;
          if (seq === this.finishedSeq) this.deps.ended(this.assignment.execution_id);
          // What arrived while this batch was in flight goes out now, as one batch.
          if (this.acked === this.nextSeq - 1 && !this.pending.empty) this.cut();
          if (this.acked === this.nextSeq - 1) for (const wake of this.drained.splice(0)) wake();
        } catch (error) {
          if (!(await this.recover(error))) return;
          await sleep(backoff);
          backoff = Math.min(backoff * 2, this.deps.maxBackoff());
        }
      }
    } finally {
      this.sending = false;
    }
  }

  /** Sends spooled batch `seq` (under load it waits for a request to join; the run's next batch grows meanwhile). */
  private async send(seq: number): Promise<void> {
    await this.deps.sender.send(this.deps.spool.get(this.assignment.execution_id, seq));
  }

  /** Waits for every batch so far to be acknowledged, uploads the artifacts' files, then sends the run's end. */
  private async finishAfterUploads(final: AgentEffect): Promise<void> {
    if (this.acked < this.nextSeq - 1) await new Promise<void>((resolve) => this.drained.push(resolve));
    const a = this.assignment;
    const context: UploadContext = {
      ...this.deps,
      executionId: a.execution_id,
      cwd: this.cwd,
      maxBytes: this.deps.rules().maxArtifactBytes,
      forgotten: () => this.forgotten,
    };
    for (const artifact of this.artifacts) {
      if (this.forgotten) return;
      const warning = await uploadArtifact(context, artifact);
      if (warning !== null) this.warn(warning);
    }
    if (this.forgotten) return;
    this.pending.add(final);
    this.cut();
  }

  /** A line for the run's log after the script ended, numbered on from the engine's last (as the server adds one to a local run). */
  private warn(content: string): void {
    this.deps.log(`execution ${this.assignment.execution_id}: ${content}`);
    const line = { line: ++this.lastLine, ts: Date.now(), stream: 'system' as const, step_index: null, content };
    this.pending.addLine(line);
  }

  /** Decides what a failed send means: retry (true) or stop (the server will never take this batch). */
  private async recover(error: unknown): Promise<boolean> {
    if (!(error instanceof AgentRequestError) || error.status === 0 || error.status >= 500 || error.status === 429)
      return true;
    if (error.code === 'agent_session_unknown') {
      this.deps.sessionLost();
      return true;
    }
    this.forget(`the server refused batch ${this.acked + 1} (${error.code}: ${error.message})`);
    return false;
  }
}

/** The dialects an assignment names; an older server names none (StepFlow's own markers), a name this agent does not know falls back to its default. */
function readAssignedDialects(names: readonly string[] | undefined): MarkerDialect[] | undefined {
  const read = readMarkerDialects(names ?? ['stepflow']);
  return 'dialects' in read ? read.dialects : undefined;
}
