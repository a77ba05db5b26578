// Owns the agents' runs this server holds: holding a claimed run, taking one over from another server, letting one go.
import { AppError } from '../../core/app-error.js';
import { isTerminalStatus, type ExecutionRecord } from '../../core/execution.js';
import type { ClusterNotice } from '../../store/cluster-coordinator.js';
import type { Executor } from '../executor.js';
import type { ServiceDeps } from '../service-deps.js';
import type { AgentEntry } from './agent-entry.js';
import type { AgentHost } from './agent-host.js';
import { RemoteRun } from './remote-run.js';

/** How long a server taking over waits for the previous holder to store what it accepted (a dead one never answers). */
const HAND_OFF_WAIT_MS = 5_000;

/** The runs held here and the entries of the agents this server has heard from. */
export type AgentHolds = ReturnType<typeof createAgentHolds>;

export const notHolder = (agent: string, executionId: number | string): AppError =>
  new AppError('agent_not_holder', `agent ${agent} does not hold execution ${executionId}`, 'execution_id');

/** Creates the holds; `onNotice` takes the cluster's release/released notices. */
export function createAgentHolds(deps: ServiceDeps, host: AgentHost) {
  const { store, clock, logger } = deps;
  const cluster = deps.cluster ?? null;
  const entries = new Map<string, AgentEntry>();
  const runs = new Map<number, RemoteRun>();
  const taking = new Map<number, Promise<RemoteRun>>();
  const handOffs = new Map<number, () => void>();

  function entry(name: string): AgentEntry {
    let found = entries.get(name);
    if (!found) {
      found = { name, labels: [], held: new Map(), wake: null, touchedAt: 0 };
      entries.set(name, found);
    }
    return found;
  }

  function executorFor(agent: AgentEntry): Executor {
    return {
      name: agent.name,
      onThisServer: false,
      start(spec, onEffects) {
        const run = runs.get(spec.execution_id);
        if (!run)
          throw new Error(`execution ${spec.execution_id} was started on agent ${agent.name} without being held`);
        run.bind(spec, onEffects);
        return run;
      },
    };
  }

  /** `claimed`: fresh from the queue, so batch numbers start at 1; else the stored line numbers decide (as after a restart). */
  function hold(name: string, record: ExecutionRecord, storedLine: number, claimed: boolean): RemoteRun {
    const agent = entry(name);
    const run = new RemoteRun({ ...record, agent: name }, name, storedLine, clock, () => agent.wake?.());
    if (claimed) run.lastSeq = 0;
    runs.set(record.id, run);
    agent.held.set(record.id, run);
    host.start(run.record, executorFor(agent));
    return run;
  }

  /** Asks the previous holder to let go and waits until it has (or is presumed dead). */
  function handOff(previous: string, executionId: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (handOffs.get(executionId) === done) handOffs.delete(executionId);
        resolve();
      };
      const timer = setTimeout(() => {
        logger.warn({ execution_id: executionId, server: previous }, 'previous holder did not let go in time');
        done();
      }, HAND_OFF_WAIT_MS);
      handOffs.set(executionId, done);
      cluster
        ?.notify({ kind: 'release', server: cluster.serverName, execution_id: executionId, holder: previous })
        .catch((error: unknown) => logger.warn({ err: error }, 'could not ask the previous holder to let go'));
    });
  }

  async function readHeld(name: string, executionId: number): Promise<ExecutionRecord> {
    const record = await store.getExecution(executionId);
    if (!record || record.agent !== name || isTerminalStatus(record.status)) throw notHolder(name, executionId);
    return record;
  }

  /** Holds the run here: takes it over from its previous holder (exactly one holder), rebuilt from what is stored. */
  async function takeOver(name: string, executionId: number): Promise<RemoteRun> {
    await readHeld(name, executionId);
    if (cluster) {
      const taken = await cluster.takeOver(executionId);
      if (!taken) throw notHolder(name, executionId);
      if (taken.previous !== null && taken.previous !== cluster.serverName) await handOff(taken.previous, executionId);
    }
    const record = await readHeld(name, executionId);
    const run = hold(name, record, await store.lastLogLine(executionId), false);
    // The supervisor starts a run asynchronously; its batches are applied once it listens.
    await run.bound;
    logger.info({ execution_id: executionId, agent: name, from_line: run.storedLine }, 'holding an agent execution');
    return run;
  }

  /** The run of `name`'s execution held here, taking it over when this server does not hold it yet. */
  async function ensureHeld(name: string, executionId: number): Promise<RemoteRun> {
    for (;;) {
      const local = runs.get(executionId);
      if (local?.releasing) {
        await local.releasing;
        continue;
      }
      if (local) {
        if (local.agent !== name) throw notHolder(name, executionId);
        // Held a moment ago by a takeover still starting it: effects delivered before the supervisor listens would be lost.
        await local.bound;
        return local;
      }
      const inFlight = taking.get(executionId);
      if (inFlight) {
        await inFlight.catch(() => {});
        continue;
      }
      const started = takeOver(name, executionId);
      taking.set(executionId, started);
      try {
        return await started;
      } finally {
        taking.delete(executionId);
      }
    }
  }

  /** Lets go of a run another server took over: every batch accepted here is stored first, the run is not ended. */
  async function letGo(executionId: number): Promise<void> {
    // A takeover here still in flight completes first, so what it holds is let go of too.
    await taking.get(executionId)?.catch(() => {});
    const run = runs.get(executionId);
    if (!run) return;
    run.releasing ??= (async () => {
      let seen: Promise<unknown>;
      do {
        seen = run.processing;
        await seen.catch(() => {});
      } while (seen !== run.processing);
      await host.release(executionId);
      runs.delete(executionId);
      entries.get(run.agent)?.held.delete(executionId);
      logger.info(
        { execution_id: executionId, agent: run.agent },
        'let go of an agent execution another server took over',
      );
    })();
    await run.releasing;
  }

  return {
    entry,
    entries,
    runs,
    hold,
    ensureHeld,

    /** A cluster notice about handing a run over. */
    onNotice(notice: ClusterNotice): void {
      if (!cluster) return;
      if (notice.kind === 'released' && notice.to === cluster.serverName) handOffs.get(notice.execution_id)?.();
      if (notice.kind !== 'release' || notice.holder !== cluster.serverName) return;
      const id = notice.execution_id;
      void letGo(id)
        .catch((error: unknown) => logger.error({ err: error, execution_id: id }, 'could not let go of a run'))
        .then(() =>
          cluster.notify({ kind: 'released', server: cluster.serverName, execution_id: id, to: notice.server }),
        )
        .catch((error: unknown) => logger.warn({ err: error }, 'could not say a run was let go'));
    },

    /** The run supervisor stored the end of a run held here. */
    finished(executionId: number): void {
      const run = runs.get(executionId);
      if (!run) return;
      runs.delete(executionId);
      entries.get(run.agent)?.held.delete(executionId);
      run.close();
    },
  };
}
