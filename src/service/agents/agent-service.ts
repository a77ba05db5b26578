// Owns the agent use cases: register, heartbeat (assign, cancel, notices), numbered batches, loss detection, the agent list.
import {
  AGENT_PROTOCOL_VERSION,
  type AgentAck,
  type AgentAssignment,
  type AgentBatch,
  type AgentBatches,
  type AgentHeartbeat,
  type AgentInstructions,
  type AgentRegister,
  type AgentRegistered,
} from '../../core/agent-protocol.js';
import { AppError } from '../../core/app-error.js';
import type { ExecutionRecord } from '../../core/execution.js';
import type { WireAgent } from '../../core/wire-types.js';
import type { AgentRow } from '../../store/agent-store.js';
import type { ClusterNotice } from '../../store/cluster-coordinator.js';
import type { ServiceDeps } from '../service-deps.js';
import { agentRules, hasLabels, summarizeAgent } from './agent-entry.js';
import { applyBatch, MOVED } from './agent-batches.js';
import type { AgentCaller, AgentHost } from './agent-host.js';
import { createAgentHolds, notHolder } from './agent-holds.js';
import { createAgentSessions } from './agent-sessions.js';
import { startAgentLossCheck } from './agent-loss.js';
import type { RemoteRun } from './remote-run.js';

export type { AgentCaller, AgentHost } from './agent-host.js';

/** The agent use cases. */
export type AgentService = ReturnType<typeof createAgentService>;

const LONGEST_WAIT_MS = 10_000;

function checkProtocol(protocol: number): void {
  if (protocol !== AGENT_PROTOCOL_VERSION) {
    throw new AppError(
      'agent_protocol_unsupported',
      `this server speaks agent protocol ${AGENT_PROTOCOL_VERSION}; the agent speaks ${protocol}: install the agent of the server's StepFlow version`,
      'protocol',
    );
  }
}

/** Creates the agent service; `close()` ends waiting heartbeats and the loss check. */
export function createAgentService(deps: ServiceDeps, host: AgentHost, lostMs: number) {
  const { store, clock, logger } = deps;
  const cluster = deps.cluster ?? null;
  // On a coordinator-only server, executions asking for no label go to agents too.
  const anyExecution = deps.settings.localExecutor === false;
  const holds = createAgentHolds(deps, host);
  const sessions = createAgentSessions(deps, holds, Math.max(50, Math.min(1000, lostMs / 10)));
  let waiting = 0;
  let closed = false;

  const loseRun = (run: RemoteRun, message: string): void => {
    run.lose(message);
    host.fail(run.record.id, message);
  };
  /** Fails one unfinished execution of an agent, taking it over first when another server holds it. */
  const loseExecution = async (agent: string, executionId: number, message: string): Promise<void> => {
    try {
      loseRun(await holds.ensureHeld(agent, executionId), message);
    } catch (error) {
      logger.warn({ err: error, execution_id: executionId, agent }, 'could not fail an execution of a lost agent');
    }
  };

  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type === 'log_lines') {
      const last = event.lines.at(-1);
      if (last !== undefined) holds.runs.get(event.execution_id)?.stored(last.line);
    }
    // Created here or on another server: an agent waiting here that may claim it asks again now.
    if (event.type === 'execution_created' && (anyExecution || event.execution.runs_on.length > 0))
      for (const entry of holds.entries.values()) if (hasLabels(entry.labels, event.execution.runs_on)) entry.wake?.();
  });
  const stopLossCheck = startAgentLossCheck({
    store,
    clock,
    logger,
    lostMs,
    onLost: async (name) => {
      holds.entries.get(name)?.wake?.();
      for (const hold of await store.agents.heldByAgent(name))
        await loseExecution(name, hold.id, `agent lost: ${name}`);
    },
    onQueue: (count) => (waiting = count),
    anyExecution,
  });

  /** Takes waiting executions this agent may run, oldest first, up to `slots`. */
  async function claim(agent: AgentRow, slots: number): Promise<RemoteRun[]> {
    const ids = await store.agents.claimForAgent({
      agent: agent.name,
      labels: agent.labels,
      limit: slots,
      anyExecution,
      server: cluster?.serverName ?? null,
    });
    const taken: RemoteRun[] = [];
    for (const id of ids) {
      const record = await store.getExecution(id);
      if (!record) continue;
      waiting = Math.max(0, waiting - 1);
      taken.push(holds.hold(agent.name, record, 0, true));
      logger.info({ execution_id: id, agent: agent.name }, 'execution claimed by agent');
    }
    return taken;
  }

  async function instructionsFor(agent: AgentRow, input: AgentHeartbeat): Promise<AgentInstructions> {
    const held = await store.agents.heldByAgent(agent.name);
    const running = new Set(input.running);
    // Assigned but never reported and not running there: the answer carrying it was lost, so it is sent again.
    const unconfirmed = held.filter((hold) => hold.status === 'pending' && !running.has(String(hold.id)));
    const resent = await Promise.all(
      unconfirmed.map((hold) => holds.ensureHeld(agent.name, hold.id).catch(() => null)),
    );
    const fresh = await claim(agent, Math.max(0, input.free_slots - unconfirmed.length));
    const assign: AgentAssignment[] = [...resent, ...fresh].flatMap((run) => (run?.assigned ? [run.assigned] : []));
    const cancel = new Set(held.filter((hold) => hold.cancel_requested).map((hold) => String(hold.id)));
    const notices: { execution_id: string; content: string }[] = [];
    for (const run of holds.entry(agent.name).held.values()) {
      if (run.cancelRequested) cancel.add(String(run.record.id));
      for (const content of run.notices.splice(0)) notices.push({ execution_id: String(run.record.id), content });
    }
    const heldIds = new Set(held.map((hold) => String(hold.id)));
    const forget = input.running.filter((id) => !heldIds.has(id));
    return { type: 'instructions', assign, cancel: [...cancel], forget, notices };
  }

  const isEmpty = (reply: AgentInstructions): boolean =>
    reply.assign.length + reply.cancel.length + reply.forget.length + reply.notices.length === 0;

  /** Waits up to `ms` for something to tell the agent (a new execution, a cancel, a notice). */
  function waitForNews(name: string, ms: number): Promise<void> {
    const entry = holds.entry(name);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        if (entry.wake === done) entry.wake = null;
        resolve();
      };
      entry.wake?.();
      entry.wake = done;
    });
  }

  async function batch(input: AgentBatch, agentName: string): Promise<AgentAck> {
    const run = await holds.ensureHeld(agentName, Number(input.execution_id));
    if (run.finished) {
      // Its end arrived already (this is a resend after a lost answer): acknowledged once the end is stored.
      await run.closed;
      return {
        type: 'ack',
        execution_id: input.execution_id,
        seq: input.seq,
        last_line: run.storedLine,
        duplicate: true,
      };
    }
    const answer = await applyBatch(run, input, host, store);
    // The run was being let go of when the batch's turn came: take it back, then apply the batch.
    return answer === MOVED ? batch(input, agentName) : answer;
  }

  /** Checks the session once, then applies every batch on its own: one refused leaves the others unaffected. */
  async function batches(input: AgentBatches, caller: AgentCaller): Promise<PromiseSettledResult<AgentAck>[]> {
    checkProtocol(input.protocol);
    const agent = await sessions.check(input.session, caller);
    return Promise.allSettled(input.batches.map((one) => batch(one, agent.name)));
  }

  return {
    /** Counts an execution created for agents (the claim itself happens on an agent's heartbeat). */
    enqueue(record: ExecutionRecord): void {
      waiting++;
      for (const entry of holds.entries.values()) if (hasLabels(entry.labels, record.runs_on)) entry.wake?.();
    },

    /** Cancels an execution still waiting for an agent; false when an agent already has it. */
    async cancelQueued(executionId: number): Promise<boolean> {
      const cancelled = await store.agents.cancelQueued(executionId, anyExecution, clock.now());
      if (cancelled) waiting = Math.max(0, waiting - 1);
      return cancelled;
    },

    /** Records a cancel of an agent's execution; the agent hears it on its next heartbeat, through any server. */
    async requestCancel(executionId: number): Promise<void> {
      await store.agents.requestCancel(executionId);
      this.wakeAll();
    },

    /** Wakes every agent heartbeat waiting here (a cancel requested on another server). */
    wakeAll(): void {
      for (const entry of holds.entries.values()) entry.wake?.();
    },

    /**
     * A server back from a stop: agents get the lost timeout to come back (they may have waited for it; with other
     * servers up this delays a loss by at most one timeout).
     */
    async recover(): Promise<void> {
      await store.agents.touchAllAgents(clock.now());
      waiting = await store.agents.countAgentQueue(anyExecution);
    },

    /** Cluster notices about handing an agent's run from one server to another. */
    onNotice: (notice: ClusterNotice): void => holds.onNotice(notice),

    async register(input: AgentRegister, caller: AgentCaller): Promise<AgentRegistered> {
      checkProtocol(input.protocol);
      const { row, token } = await sessions.register(input, caller);
      // Runs this agent held but no longer runs (its process restarted): they are gone with the old process.
      const running = new Set(input.running);
      for (const hold of await store.agents.heldByAgent(row.name))
        if (hold.status === 'running' && !running.has(String(hold.id)))
          await loseExecution(row.name, hold.id, `agent lost: ${row.name} (it restarted)`);
      logger.info({ agent: row.name, labels: row.labels, address: caller.address }, 'agent registered');
      return {
        type: 'registered',
        protocol: AGENT_PROTOCOL_VERSION,
        session: token,
        heartbeat_ms: Math.max(100, Math.min(5000, lostMs / 4)),
        lost_seconds: lostMs / 1000,
        ...agentRules(deps.settings),
      };
    },

    async heartbeat(input: AgentHeartbeat, caller: AgentCaller): Promise<AgentInstructions> {
      checkProtocol(input.protocol);
      const agent = await sessions.check(input.session, caller);
      const reply = await instructionsFor(agent, input);
      const wait = Math.min(input.wait_ms, LONGEST_WAIT_MS, lostMs / 3);
      if (!isEmpty(reply) || wait <= 0 || closed) return reply;
      await waitForNews(agent.name, wait);
      if (closed || !(await sessions.current(input.session))) return reply;
      return instructionsFor(await sessions.check(input.session, caller), input);
    },

    batches,

    /** Lets an agent upload an artifact of an execution it holds (not yet finished); answers the id of the step at `step_index`. */
    async authorizeUpload(
      request: { session: string; execution_id: string; step_index: number | null },
      caller: AgentCaller,
    ): Promise<number | null> {
      const agent = await sessions.check(request.session, caller);
      const id = Number(request.execution_id);
      const run = await holds.ensureHeld(agent.name, id);
      if (run.finished) throw notHolder(agent.name, request.execution_id);
      if (request.step_index === null) return null;
      await host.settled(id);
      return (await store.listSteps(id)).find((step) => step.index === request.step_index)?.id ?? null;
    },

    /** The run supervisor finished an agent's execution (its end is stored). */
    finished: (executionId: number): void => holds.finished(executionId),

    async list(): Promise<WireAgent[]> {
      return (await store.agents.listAgents()).map(({ agent, executions }) => summarizeAgent(agent, executions));
    },

    get waiting(): number {
      return waiting;
    },

    /** Executions agents hold through this server now. */
    get running(): number {
      return holds.runs.size;
    },

    close(): void {
      closed = true;
      stopLossCheck();
      unsubscribe();
      for (const entry of holds.entries.values()) entry.wake?.();
    },
  };
}
