// Owns what the agent service needs from the execution service's run supervisor.
import type { ExecutionRecord } from '../../core/execution.js';
import type { Executor } from '../executor.js';

/** The run supervisor as the agent service uses it. */
export interface AgentHost {
  start(record: ExecutionRecord, executor: Executor): void;
  fail(executionId: number, message: string): void;
  /** Resolves once every store write of the run issued so far has landed. */
  settled(executionId: number): Promise<void>;
  /** Commits buffered log lines soon (batches taken in the same turn of the event loop share the commit): an agent's batch is already a group of lines, and its acknowledgement waits for them. */
  flushLogs(): void;
  /** Stores what the run accepted and forgets it without ending it (another server took it over). */
  release(executionId: number): Promise<void>;
}

/** Who is calling and from where (the HTTP layer fills it in). */
export interface AgentCaller {
  key: string;
  address: string;
}
