// Owns one agent batch on the server holding its run: applied once, in order, acknowledged only once stored.
import type { AgentAck, AgentBatch } from '../../core/agent-protocol.js';
import { AppError } from '../../core/app-error.js';
import type { Store } from '../../store/store.js';
import type { AgentHost } from './agent-host.js';
import { planBatch } from './plan-batch.js';
import type { RemoteRun } from './remote-run.js';

/** Answered by a batch that reached a run this server was letting go of: the caller takes the run back and retries. */
export const MOVED = Symbol('moved');

const ack = (input: AgentBatch, run: RemoteRun, duplicate: boolean): AgentAck => ({
  type: 'ack',
  execution_id: input.execution_id,
  seq: input.seq,
  last_line: run.storedLine,
  duplicate,
});

/** Chains the batch after the run's batch in flight; resolves with its acknowledgement once stored. */
export function applyBatch(
  run: RemoteRun,
  input: AgentBatch,
  host: AgentHost,
  store: Store,
): Promise<AgentAck | typeof MOVED> {
  const work = run.processing
    .catch(() => {})
    .then(async (): Promise<AgentAck | typeof MOVED> => {
      if (run.releasing) return MOVED;
      const plan = planBatch(run, input);
      if (plan.kind === 'duplicate') return ack(input, run, true);
      // The agent uploads its artifacts before it sends the end: counted here, announced with the end.
      if (plan.effects.at(-1)?.type === 'finished')
        run.artifactsCount = (
          await store.listArtifacts({ execution_id: run.record.id, limit: 1, offset: 0 })
        ).total_count;
      run.reported = true;
      run.lastSeq = input.seq;
      run.deliver(plan.effects);
      host.flushLogs();
      try {
        // Acknowledged only once stored: a server killed after the answer has every line the agent then forgets.
        if (run.finished) await run.closed;
        else await Promise.all([run.waitForLine(plan.lastLine), host.settled(run.record.id)]);
      } catch (error) {
        throw new AppError(
          'agent_not_holder',
          `execution ${input.execution_id} ended on the server before this batch was stored: ${(error as Error).message}`,
          'execution_id',
        );
      }
      return ack(input, run, false);
    });
  run.processing = work;
  return work;
}
