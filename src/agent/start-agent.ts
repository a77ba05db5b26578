// Owns the agent process's loop: register, long-poll heartbeats, start what the server assigns, reconnect with backoff.
import { join } from 'node:path';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentHeartbeat,
  type AgentInstructions,
  type AgentRegister,
  type AgentRegistered,
} from '../core/agent-protocol.js';
import { AgentRequestError, createAgentClient, type AgentClient } from './agent-client.js';
import { AgentRun, type AgentRunDeps } from './agent-run.js';
import { agentRules, type AgentRules } from './agent-rules.js';
import { BatchSpool } from './batch-spool.js';
import { BatchSender } from './batch-sender.js';
import { startSpawner, type Spawner } from '../runner/spawner/start-spawner.js';

/**
 * Batches requests one agent keeps in flight across its runs. Each run also sends one batch at a time, so with many
 * runs printing a little each, their batches wait for a request and go out together instead of as thousands of tiny ones.
 */
const BATCH_REQUESTS_IN_FLIGHT = 2;

/** How an agent is started (`stepflow agent` flags). */
export interface AgentOptions {
  server: string;
  key: string | null;
  name: string;
  labels: string[];
  concurrency: number;
  workDir: string;
  /** Most bytes of unacknowledged batches held (in memory, then on disk) before scripts' output is paused. */
  spoolBytes: number;
  version: string;
  killGraceMs: number;
  /** The agent's environment; scripts get it minus secret-looking variables, plus their own. */
  env: Record<string, string | undefined>;
  log(message: string): void;
}

/** A running agent. */
export interface RunningAgent {
  /** Resolves when the agent stops for good: a refusal it cannot fix (bad key, incompatible protocol) rejects. */
  readonly stopped: Promise<void>;
  stop(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const HEARTBEAT_WAIT_MS = 10_000;

/** Starts the agent: it connects out to the server and runs what it is assigned until stopped. */
export function startAgent(options: AgentOptions): RunningAgent {
  const agent = new Agent(options);
  return { stopped: agent.serve(), stop: () => agent.stop() };
}

/** One agent process: its session with the server, its runs, their spool and sender. */
class Agent {
  private readonly client: AgentClient;
  private readonly spool: BatchSpool;
  /** The server's secret name patterns, sent when the agent registers: the agent's own secrets stay with it. */
  private rules: AgentRules;
  private readonly runs = new Map<string, AgentRun>();
  private session: string | null = null;
  private readonly sessionWaiters: (() => void)[] = [];
  private stopping = false;
  /**
   * Scripts are started by the spawner helper, as on the server: forking this process (its heap, its sockets) for
   * every script would stall every run's output on this event loop for tens of milliseconds each.
   */
  private spawner: Spawner | null = null;
  /** Retries stay well inside the server's lost timeout, so a server back from a restart hears from its agents in time. */
  private maxBackoff = 5000;
  private readonly runDeps: AgentRunDeps;

  constructor(private readonly options: AgentOptions) {
    this.client = createAgentClient({ server: options.server, key: options.key });
    this.spool = new BatchSpool(join(options.workDir, 'spool'), options.spoolBytes);
    this.rules = agentRules(options.env, null);
    this.spool.onChange((full) => this.spoolChanged(full));
    this.runDeps = this.createRunDeps();
    this.runDeps.sender.onAnsweringChange(() => {
      for (const run of this.runs.values()) run.reconsider();
    });
  }

  /** Runs until stopped; rejects on a refusal no retry can fix. */
  async serve(): Promise<void> {
    this.spawner = await startSpawner({
      onHelperExit: (code, signal) =>
        this.options.log(`the process spawner exited (${signal ?? `code ${code}`}); starting a new one`),
    });
    try {
      await this.loop();
    } finally {
      await this.spawner.close();
    }
  }

  stop(): void {
    this.stopping = true;
    for (const run of this.runs.values()) run.cancel();
  }

  private createRunDeps(): AgentRunDeps {
    const session = (): Promise<string> => this.currentSession();
    return {
      client: this.client,
      spool: this.spool,
      workDir: this.options.workDir,
      rules: () => this.rules,
      killGraceMs: this.options.killGraceMs,
      log: this.options.log,
      session,
      sessionLost: () => {
        this.session = null;
      },
      ended: (id) => void this.runs.delete(id),
      maxBackoff: () => this.maxBackoff,
      sender: new BatchSender({ client: this.client, session }, BATCH_REQUESTS_IN_FLIGHT),
      spawner: () => this.spawner,
    };
  }

  private spoolChanged(full: boolean): void {
    if (full)
      this.options.log(
        `spool holds ${this.spool.usedBytes} bytes (limit ${this.options.spoolBytes}): pausing scripts' output until the server catches up`,
      );
    for (const run of this.runs.values()) run.setSpoolFull(full);
  }

  /** The session, waiting while the agent registers again. */
  private currentSession(): Promise<string> {
    if (this.session !== null) return Promise.resolve(this.session);
    return new Promise<void>((resolve) => this.sessionWaiters.push(resolve)).then(() => this.session ?? '');
  }

  /** Registers, retrying with backoff until the server answers (or the agent stops). */
  private async register(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      try {
        this.registered(await this.client.register(this.registration()));
        return;
      } catch (error) {
        if (isFatal(error)) throw error;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoff);
      }
    }
  }

  private registration(): AgentRegister {
    const { name, labels, version, concurrency } = this.options;
    const running = [...this.runs.keys()];
    return { type: 'register', protocol: AGENT_PROTOCOL_VERSION, name, labels, version, concurrency, running };
  }

  private registered(answer: AgentRegistered): void {
    if (answer.protocol !== AGENT_PROTOCOL_VERSION)
      throw new AgentRequestError(
        400,
        'agent_protocol_unsupported',
        `the server speaks agent protocol ${answer.protocol}, this agent ${AGENT_PROTOCOL_VERSION}`,
      );
    this.session = answer.session;
    this.rules = agentRules(this.options.env, answer);
    this.maxBackoff = Math.max(100, Math.min(5000, answer.lost_seconds * 250));
    for (const wake of this.sessionWaiters.splice(0)) wake();
    const { server, name, labels } = this.options;
    this.options.log(`registered with ${server} as ${name} (labels: ${labels.join(',') || 'none'})`);
  }

  /** Long-polls heartbeats and follows their instructions, registering again whenever the session is gone. */
  private async loop(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      if (this.session === null) await this.register();
      if (this.stopping || this.session === null) return;
      try {
        this.follow(await this.client.heartbeat(this.heartbeat(this.session)));
        backoff = 250;
      } catch (error) {
        if (isFatal(error)) throw error;
        if (error instanceof AgentRequestError && error.code === 'agent_session_unknown') this.session = null;
        else {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, this.maxBackoff);
        }
      }
    }
  }

  private heartbeat(session: string): AgentHeartbeat {
    return {
      type: 'heartbeat',
      protocol: AGENT_PROTOCOL_VERSION,
      session,
      running: [...this.runs.keys()],
      free_slots: Math.max(0, this.options.concurrency - this.runs.size),
      wait_ms: HEARTBEAT_WAIT_MS,
    };
  }

  private follow(reply: AgentInstructions): void {
    for (const assignment of reply.assign) {
      if (this.runs.has(assignment.execution_id)) continue;
      const run = new AgentRun(assignment, this.runDeps);
      this.runs.set(assignment.execution_id, run);
      this.options.log(`execution ${assignment.execution_id}: running ${assignment.name}`);
      run.start();
    }
    for (const id of reply.cancel) this.runs.get(id)?.cancel();
    for (const notice of reply.notices) this.runs.get(notice.execution_id)?.notice(notice.content);
    for (const id of reply.forget) this.runs.get(id)?.forget('the server no longer holds it');
  }
}

/** Refusals no retry can fix: a wrong or revoked key, a key without the agent role, an incompatible protocol. */
function isFatal(error: unknown): boolean {
  return (
    error instanceof AgentRequestError &&
    (error.status === 401 ||
      error.status === 403 ||
      error.code === 'agent_protocol_unsupported' ||
      error.code === 'validation_failed')
  );
}
