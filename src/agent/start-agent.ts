// Owns the agent process's loop: register, long-poll heartbeats, start what the server assigns, reconnect with backoff.
import { join } from 'node:path';
import { AGENT_PROTOCOL_VERSION, type AgentInstructions } from '../core/agent-protocol.js';
import { AgentRequestError, createAgentClient } from './agent-client.js';
import { AgentRun } from './agent-run.js';
import { agentRules } from './agent-rules.js';
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
  /** Most bytes of unacknowledged batches on disk before scripts' output is paused. */
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
  const client = createAgentClient({ server: options.server, key: options.key });
  const spool = new BatchSpool(join(options.workDir, 'spool'), options.spoolBytes);
  // The server's secret name patterns, sent when the agent registers: the agent's own secrets stay with it.
  let rules = agentRules(options.env, null);
  const runs = new Map<string, AgentRun>();
  let session: string | null = null;
  const sessionWaiters: (() => void)[] = [];
  let stopping = false;
  // Scripts are started by the spawner helper, as on the server: forking this process (its heap, its sockets) for
  // every script would stall every run's output on this event loop for tens of milliseconds each.
  let spawner: Spawner | null = null;
  // Retries stay well inside the server's lost timeout, so a server back from a restart hears from its agents in time.
  let maxBackoff = 5000;
  spool.onChange((full) => {
    if (full)
      options.log(
        `spool holds ${spool.usedBytes} bytes (limit ${options.spoolBytes}): pausing scripts' output until the server catches up`,
      );
    for (const run of runs.values()) run.setSpoolFull(full);
  });

  const currentSession = (): Promise<string> =>
    session !== null
      ? Promise.resolve(session)
      : new Promise<void>((resolve) => sessionWaiters.push(resolve)).then(() => session ?? '');
  const runDeps = {
    client,
    spool,
    workDir: options.workDir,
    rules: () => rules,
    killGraceMs: options.killGraceMs,
    log: options.log,
    session: currentSession,
    sessionLost: (): void => {
      session = null;
    },
    ended: (id: string): void => void runs.delete(id),
    maxBackoff: (): number => maxBackoff,
    sender: new BatchSender({ client, session: currentSession }, BATCH_REQUESTS_IN_FLIGHT),
    spawner: (): Spawner | null => spawner,
  };

  runDeps.sender.onAnsweringChange(() => {
    for (const run of runs.values()) run.reconsider();
  });

  async function register(): Promise<void> {
    let backoff = 250;
    while (!stopping) {
      try {
        const answer = await client.register({
          type: 'register',
          protocol: AGENT_PROTOCOL_VERSION,
          name: options.name,
          labels: options.labels,
          version: options.version,
          concurrency: options.concurrency,
          running: [...runs.keys()],
        });
        if (answer.protocol !== AGENT_PROTOCOL_VERSION)
          throw new AgentRequestError(
            400,
            'agent_protocol_unsupported',
            `the server speaks agent protocol ${answer.protocol}, this agent ${AGENT_PROTOCOL_VERSION}`,
          );
        session = answer.session;
        rules = agentRules(options.env, answer);
        maxBackoff = Math.max(100, Math.min(5000, answer.lost_seconds * 250));
        for (const wake of sessionWaiters.splice(0)) wake();
        options.log(
          `registered with ${options.server} as ${options.name} (labels: ${options.labels.join(',') || 'none'})`,
        );
        return;
      } catch (error) {
        if (isFatal(error)) throw error;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, maxBackoff);
      }
    }
  }

  function follow(reply: AgentInstructions): void {
    for (const assignment of reply.assign) {
      if (runs.has(assignment.execution_id)) continue;
      const run = new AgentRun(assignment, runDeps);
      runs.set(assignment.execution_id, run);
      options.log(`execution ${assignment.execution_id}: running ${assignment.name}`);
      run.start();
    }
    for (const id of reply.cancel) runs.get(id)?.cancel();
    for (const notice of reply.notices) runs.get(notice.execution_id)?.notice(notice.content);
    for (const id of reply.forget) runs.get(id)?.forget('the server no longer holds it');
  }

  async function serve(): Promise<void> {
    spawner = await startSpawner({
      onHelperExit: (code, signal) =>
        options.log(`the process spawner exited (${signal ?? `code ${code}`}); starting a new one`),
    });
    try {
      await loop();
    } finally {
      await spawner.close();
    }
  }

  async function loop(): Promise<void> {
    let backoff = 250;
    while (!stopping) {
      if (session === null) await register();
      if (stopping || session === null) return;
      try {
        const free = Math.max(0, options.concurrency - runs.size);
        follow(
          await client.heartbeat({
            type: 'heartbeat',
            protocol: AGENT_PROTOCOL_VERSION,
            session,
            running: [...runs.keys()],
            free_slots: free,
            wait_ms: HEARTBEAT_WAIT_MS,
          }),
        );
        backoff = 250;
      } catch (error) {
        if (isFatal(error)) throw error;
        if (error instanceof AgentRequestError && error.code === 'agent_session_unknown') session = null;
        else {
          await sleep(backoff);
          backoff = Math.min(backoff * 2, maxBackoff);
        }
      }
    }
  }

  return {
    stopped: serve(),
    stop() {
      stopping = true;
      for (const run of runs.values()) run.cancel();
    },
  };
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
