// Owns the agent use cases: register, heartbeat (assign, cancel, notices), numbered batches, loss detection, the agent list.
import { randomBytes } from 'node:crypto';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentAck,
  type AgentBatch,
  type AgentHeartbeat,
  type AgentInstructions,
  type AgentRegister,
  type AgentRegistered,
} from '../../core/agent-protocol.js';
import { AppError } from '../../core/app-error.js';
import type { ExecutionRecord } from '../../core/execution.js';
import type { Executor } from '../executor.js';
import { normalizeLabels } from '../normalize-new-execution.js';
import type { ServiceDeps } from '../service-deps.js';
import type { WireAgent } from '../../core/wire-types.js';
import { agentRules, hasLabels, summarizeAgent, type AgentEntry } from './agent-entry.js';
import { planBatch } from './plan-batch.js';
import { RemoteRun } from './remote-run.js';

/** What the agent service needs from the execution service's run supervisor. */
export interface AgentHost {
  start(record: ExecutionRecord, executor: Executor): void;
  fail(executionId: number, message: string): void;
  /** Resolves once every store write of the run issued so far has landed. */
  settled(executionId: number): Promise<void>;
  /** Commits buffered log lines now: an agent's batch is already a group of lines, and its acknowledgement waits for them. */
  flushLogs(): void;
}

/** Who is calling and from where (the HTTP layer fills it in). */
export interface AgentCaller {
  key: string;
  address: string;
}

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
  const agents = new Map<string, AgentEntry>();
  const sessions = new Map<string, AgentEntry>();
  // Executions waiting for an agent, oldest first, with the labels they ask for.
  const waiting = new Map<number, string[]>();
  const runs = new Map<number, RemoteRun>();
  let closed = false;

  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type !== 'log_lines') return;
    const last = event.lines.at(-1);
    if (last !== undefined) runs.get(event.execution_id)?.stored(last.line);
  });
  const sweep = setInterval(() => checkLost(), Math.max(100, Math.min(1000, lostMs / 4)));
  sweep.unref();

  function entryFor(name: string): AgentEntry {
    let entry = agents.get(name);
    if (!entry) {
      entry = {
        name,
        labels: [],
        version: '',
        address: '',
        concurrency: 0,
        session: null,
        key: '',
        lastSeen: clock.now(),
        lost: false,
        held: new Map(),
        wake: null,
      };
      agents.set(name, entry);
    }
    return entry;
  }

  function executorFor(entry: AgentEntry): Executor {
    return {
      name: entry.name,
      onThisServer: false,
      start(spec, onEffects) {
        const run = runs.get(spec.execution_id);
        if (!run)
          throw new Error(`execution ${spec.execution_id} was started on agent ${entry.name} without being held`);
        run.bind(spec, onEffects);
        return run;
      },
    };
  }

  /** `adopted`: held by an agent before this server started, so which batch numbers were applied is unknown. */
  function hold(entry: AgentEntry, record: ExecutionRecord, storedLine: number, adopted: boolean): RemoteRun {
    const run = new RemoteRun(record, entry.name, storedLine, clock, () => entry.wake?.());
    if (!adopted) run.lastSeq = 0;
    runs.set(record.id, run);
    entry.held.set(record.id, run);
    host.start(record, executorFor(entry));
    return run;
  }

  function session(token: string, caller: AgentCaller): AgentEntry {
    const entry = sessions.get(token);
    if (!entry || entry.session !== token)
      throw new AppError(
        'agent_session_unknown',
        'this agent session is unknown (the server restarted or the agent was lost); register again',
        'session',
      );
    if (entry.key !== caller.key)
      throw new AppError('forbidden', `session of agent ${entry.name} belongs to another key`, 'session');
    entry.lastSeen = clock.now();
    entry.address = caller.address;
    return entry;
  }

  function checkLost(): void {
    const now = clock.now();
    for (const entry of agents.values()) {
      if (entry.lost || now - entry.lastSeen < lostMs) continue;
      entry.lost = true;
      if (entry.session !== null) sessions.delete(entry.session);
      entry.session = null;
      entry.wake?.();
      logger.warn({ agent: entry.name, executions: [...entry.held.keys()] }, 'agent lost');
      for (const run of entry.held.values()) loseRun(run, `agent lost: ${entry.name}`);
    }
  }

  function loseRun(run: RemoteRun, message: string): void {
    run.lose(message);
    host.fail(run.record.id, message);
  }

  /** Takes waiting executions this agent may run, oldest first, up to `slots`. */
  async function claim(entry: AgentEntry, slots: number): Promise<RemoteRun[]> {
    const taken: RemoteRun[] = [];
    for (const [id, labels] of waiting) {
      if (taken.length >= slots) break;
      if (!hasLabels(entry.labels, labels)) continue;
      waiting.delete(id);
      const record = await store.getExecution(id);
      if (!record || record.status !== 'pending') continue;
      await store.updateExecution(id, { agent: entry.name });
      taken.push(hold(entry, { ...record, agent: entry.name }, 0, false));
      logger.info({ execution_id: id, agent: entry.name }, 'execution claimed by agent');
    }
    return taken;
  }

  async function instructionsFor(entry: AgentEntry, input: AgentHeartbeat): Promise<AgentInstructions> {
    const running = new Set(input.running);
    const unconfirmed = [...entry.held.values()].filter(
      (run) => !run.finished && !run.reported && !running.has(String(run.record.id)),
    );
    const fresh = await claim(entry, Math.max(0, input.free_slots - unconfirmed.length));
    const assign = [...unconfirmed, ...fresh].flatMap((run) => (run.assigned ? [run.assigned] : []));
    const cancel: string[] = [];
    const notices: { execution_id: string; content: string }[] = [];
    for (const run of entry.held.values()) {
      if (run.cancelRequested) cancel.push(String(run.record.id));
      for (const content of run.notices.splice(0)) notices.push({ execution_id: String(run.record.id), content });
    }
    const forget = input.running.filter((id) => !entry.held.has(Number(id)));
    return { type: 'instructions', assign, cancel, forget, notices };
  }

  const isEmpty = (reply: AgentInstructions): boolean =>
    reply.assign.length + reply.cancel.length + reply.forget.length + reply.notices.length === 0;

  return {
    /** Queues an execution for an agent. */
    enqueue(record: ExecutionRecord): void {
      waiting.set(record.id, record.runs_on);
      for (const entry of agents.values()) if (!entry.lost && hasLabels(entry.labels, record.runs_on)) entry.wake?.();
    },

    /** Takes a waiting execution out of the agents' queue; false when none was waiting. */
    removePending: (executionId: number): boolean => waiting.delete(executionId),

    /** After a server restart: the execution keeps running on its agent, which has `lost_seconds` to come back. */
    async adopt(record: ExecutionRecord): Promise<void> {
      const entry = entryFor(record.agent ?? '');
      hold(entry, record, await store.lastLogLine(record.id), true);
    },

    async register(input: AgentRegister, caller: AgentCaller): Promise<AgentRegistered> {
      checkProtocol(input.protocol);
      const [name] = normalizeLabels([input.name], 'name');
      const entry = entryFor(name ?? input.name);
      if (entry.session !== null && entry.key !== caller.key)
        throw new AppError('forbidden', `agent ${entry.name} is connected with another key`, 'name');
      if (entry.session !== null) sessions.delete(entry.session);
      const token = randomBytes(24).toString('base64url');
      Object.assign(entry, {
        labels: normalizeLabels(input.labels, 'labels'),
        version: input.version,
        concurrency: input.concurrency,
        session: token,
        key: caller.key,
        address: caller.address,
        lastSeen: clock.now(),
        lost: false,
      });
      sessions.set(token, entry);
      // Runs this agent held but no longer runs (its process restarted): they are gone with the old process.
      const running = new Set(input.running);
      for (const run of entry.held.values())
        if (!running.has(String(run.record.id)) && run.reported)
          loseRun(run, `agent lost: ${entry.name} (it restarted)`);
      logger.info({ agent: entry.name, labels: entry.labels, address: caller.address }, 'agent registered');
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
      const entry = session(input.session, caller);
      let reply = await instructionsFor(entry, input);
      const wait = Math.min(input.wait_ms, LONGEST_WAIT_MS, lostMs / 3);
      if (!isEmpty(reply) || wait <= 0 || closed) return reply;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), wait);
        const done = (): void => {
          clearTimeout(timer);
          if (entry.wake === done) entry.wake = null;
          resolve();
        };
        entry.wake?.();
        entry.wake = done;
      });
      if (entry.session !== input.session) return reply;
      entry.lastSeen = clock.now();
      reply = await instructionsFor(entry, { ...input, free_slots: input.free_slots });
      return reply;
    },

    async batch(input: AgentBatch, caller: AgentCaller): Promise<AgentAck> {
      checkProtocol(input.protocol);
      const entry = session(input.session, caller);
      const id = Number(input.execution_id);
      const run = entry.held.get(id);
      if (!run || run.finished)
        throw new AppError(
          'agent_not_holder',
          `agent ${entry.name} does not hold execution ${input.execution_id}`,
          'execution_id',
        );
      const previous = run.processing;
      const work = previous
        .catch(() => {})
        .then(async (): Promise<AgentAck> => {
          const plan = planBatch(run, input);
          if (plan.kind === 'duplicate')
            return {
              type: 'ack',
              execution_id: input.execution_id,
              seq: input.seq,
              last_line: run.storedLine,
              duplicate: true,
            };
          // The agent uploads its artifacts before it sends the end: counted here, announced with the end.
          if (plan.effects.at(-1)?.type === 'finished')
            run.artifactsCount = (await store.listArtifacts({ execution_id: id, limit: 1, offset: 0 })).total_count;
          run.reported = true;
          run.lastSeq = input.seq;
          run.deliver(plan.effects);
          host.flushLogs();
          try {
            // Acknowledged only once stored: a server killed after the answer has every line the agent then forgets.
            if (run.finished) await run.closed;
            else await Promise.all([run.waitForLine(plan.lastLine), host.settled(id)]);
          } catch (error) {
            throw new AppError(
              'agent_not_holder',
              `execution ${input.execution_id} ended on the server before this batch was stored: ${(error as Error).message}`,
              'execution_id',
            );
          }
          return {
            type: 'ack',
            execution_id: input.execution_id,
            seq: input.seq,
            last_line: run.storedLine,
            duplicate: false,
          };
        });
      run.processing = work;
      return work;
    },

    /** Lets an agent upload an artifact of an execution it holds (not yet finished); answers the id of the step at `step_index`. */
    async authorizeUpload(
      request: { session: string; execution_id: string; step_index: number | null },
      caller: AgentCaller,
    ): Promise<number | null> {
      const entry = session(request.session, caller);
      const id = Number(request.execution_id);
      const run = entry.held.get(id);
      if (!run || run.finished)
        throw new AppError(
          'agent_not_holder',
          `agent ${entry.name} does not hold execution ${request.execution_id}`,
          'execution_id',
        );
      if (request.step_index === null) return null;
      await host.settled(id);
      return (await store.listSteps(id)).find((step) => step.index === request.step_index)?.id ?? null;
    },

    /** The run supervisor finished an agent's execution (its end is stored). */
    finished(executionId: number): void {
      const run = runs.get(executionId);
      if (!run) return;
      runs.delete(executionId);
      agents.get(run.agent)?.held.delete(executionId);
      run.close();
    },

    list: (): WireAgent[] =>
      [...agents.values()].filter((entry) => entry.version !== '' || entry.held.size > 0).map(summarizeAgent),

    get waiting(): number {
      return waiting.size;
    },

    /** Executions agents hold now. */
    get running(): number {
      return runs.size;
    },

    close(): void {
      closed = true;
      clearInterval(sweep);
      unsubscribe();
      for (const entry of agents.values()) entry.wake?.();
    },
  };
}
