// Owns the periodic agent check: agents silent for the lost timeout are declared lost once, cluster-wide, and the queue is counted.
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../store/store.js';
import type { ServiceLogger } from '../service-deps.js';

/** What the check needs; `onLost` fails the executions of an agent this server declared lost. */
export interface AgentLossCheckDeps {
  store: Store;
  clock: Clock;
  logger: ServiceLogger;
  lostMs: number;
  anyExecution: boolean;
  onLost: (name: string) => Promise<void>;
  onQueue: (waiting: number) => void;
}

/** Starts the check (several times per lost period); returns stop. */
export function startAgentLossCheck(deps: AgentLossCheckDeps): () => void {
  const { store, logger } = deps;
  let checking = false;
  async function check(): Promise<void> {
    // One conditional UPDATE: of all the servers checking, exactly one gets each lost agent back, and fails its runs.
    for (const name of await store.agents.markLostAgents(deps.clock.now() - deps.lostMs)) {
      const held = await store.agents.heldByAgent(name);
      logger.warn({ agent: name, executions: held.map((hold) => hold.id) }, 'agent lost');
      await deps.onLost(name);
    }
    deps.onQueue(await store.agents.countAgentQueue(deps.anyExecution));
  }
  const timer = setInterval(
    () => {
      if (checking) return;
      checking = true;
      check()
        .catch((error: unknown) => logger.warn({ err: error }, 'could not check for lost agents'))
        .finally(() => (checking = false));
    },
    Math.max(100, Math.min(1000, deps.lostMs / 4)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
