// Owns what one server keeps of an agent besides the database: its waiting heartbeat, the runs it holds here, its labels.
import type { AgentRegistered } from '../../core/agent-protocol.js';
import type { WireAgent } from '../../core/wire-types.js';
import type { AgentRow } from '../../store/agent-store.js';
import type { ServiceSettings } from '../service-deps.js';
import type { RemoteRun } from './remote-run.js';

/** One agent as this server sees it; the registration itself lives in the database. */
export interface AgentEntry {
  name: string;
  /** Labels of its registration, as last read here (to wake it for a new execution it may claim). */
  labels: string[];
  /** Runs of this agent this server holds. */
  held: Map<number, RemoteRun>;
  /** Wakes the agent's heartbeat waiting on this server. */
  wake: (() => void) | null;
  /** When this server last wrote the agent's last_seen (the write is spaced out, not per request). */
  touchedAt: number;
}

/** Summarizes an agent for GET /api/agents. */
export function summarizeAgent(agent: AgentRow, executions: readonly number[]): WireAgent {
  return {
    name: agent.name,
    labels: agent.labels,
    version: agent.version,
    status: agent.lost ? 'lost' : executions.length > 0 ? 'busy' : 'idle',
    executions: executions.map(String),
    last_seen: new Date(agent.last_seen).toISOString(),
    address: agent.address,
    concurrency: agent.concurrency,
  };
}

/** True when the agent has every label the execution asks for. */
export function hasLabels(agentLabels: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((label) => agentLabels.includes(label));
}

/** The server's rules an agent applies as the server would: which variables are secrets, and the artifact size limit. */
export function agentRules(
  settings: ServiceSettings,
): Pick<AgentRegistered, 'secret_name_patterns' | 'env_passthrough' | 'max_artifact_bytes'> {
  return {
    secret_name_patterns: [...(settings.secretNamePatterns ?? [])],
    env_passthrough: [...(settings.childEnvPassthrough ?? [])],
    ...(settings.maxArtifactBytes !== undefined ? { max_artifact_bytes: settings.maxArtifactBytes } : {}),
  };
}
