// Owns the AgentStore interface: agent registrations, their sessions (hashed), last_seen, and the agents' queue in the database.
import type { ExecutionStatus } from '../core/execution.js';

/** One agent as the database knows it. */
export interface AgentRow {
  name: string;
  labels: string[];
  version: string;
  /** Address its last request came from. */
  address: string;
  concurrency: number;
  /** Name of the API key that registered it ('anonymous' with auth off). */
  key_name: string;
  /** SHA-256 (hex) of its current session token; null once lost. */
  session_hash: string | null;
  /** When any server last heard from it (ms). */
  last_seen: number;
  lost: boolean;
}

/** An unfinished execution an agent holds: `pending` until its first batch arrives (assigned, not yet reported). */
export interface AgentHold {
  id: number;
  status: ExecutionStatus;
  /** Someone asked to cancel it (on any server); every heartbeat tells the agent until it ends. */
  cancel_requested: boolean;
}

/** What a claim may take: the agent's labels, and whether executions asking for no label are for agents too. */
export interface AgentClaim {
  agent: string;
  labels: readonly string[];
  limit: number;
  /** True on a coordinator-only server: executions without `runs_on` go to agents as well. */
  anyExecution: boolean;
  /** The server claiming (recorded as the run's holder on PostgreSQL); null on a single SQLite server. */
  server: string | null;
}

/** Agent persistence; every server on the database sees the same agents, sessions and queue. */
export interface AgentStore {
  /** Creates or replaces the agent's registration with a new session (ending the previous one), not lost. */
  registerAgent(row: AgentRow): Promise<void>;
  getAgent(name: string): Promise<AgentRow | null>;
  /** The agent whose current session has this hash (lost agents have none). */
  findAgentSession(sessionHash: string): Promise<AgentRow | null>;
  /** Records hearing from the agent now. */
  touchAgent(name: string, address: string, now: number): Promise<void>;
  /** Gives every agent not lost `now` as last_seen (a single server back from a stop gives them the lost timeout to return). */
  touchAllAgents(now: number): Promise<void>;
  /** Every agent, by name, with the unfinished executions each holds. */
  listAgents(): Promise<{ agent: AgentRow; executions: number[] }[]>;
  /** Marks agents silent since before `silentBefore` lost (ending their session); each one is returned to exactly one caller. */
  markLostAgents(silentBefore: number): Promise<string[]>;
  /** Claims up to `limit` pending executions the agent may run, oldest first; ids claimed. */
  claimForAgent(claim: AgentClaim): Promise<number[]>;
  /** The unfinished executions the agent holds, oldest first. */
  heldByAgent(agent: string): Promise<AgentHold[]>;
  /** Pending executions no agent holds yet that agents may claim. */
  countAgentQueue(anyExecution: boolean): Promise<number>;
  /** Records a cancel request for an execution an agent holds. */
  requestCancel(executionId: number): Promise<void>;
  /** Cancels a pending execution still in the agents' queue ('cancelled by request'); false when an agent already has it. */
  cancelQueued(executionId: number, anyExecution: boolean, completedAt: number): Promise<boolean>;
}
