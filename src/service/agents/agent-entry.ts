// Owns what the server knows of one agent: who it is, when it was last heard from, and the runs it holds.
import type { AgentRegistered } from '../../core/agent-protocol.js';
import type { WireAgent } from '../../core/wire-types.js';
import type { ServiceSettings } from '../service-deps.js';
import type { RemoteRun } from './remote-run.js';

/** One agent, connected or lost. */
export interface AgentEntry {
  name: string;
  labels: string[];
  version: string;
  /** Address the agent's last request came from. */
  address: string;
  concurrency: number;
  /** Current session token; null once lost or before the agent (re)registers after a server restart. */
  session: string | null;
  /** Name of the API key it authenticated with ('anonymous' with auth off); its session answers only to that key. */
  key: string;
  lastSeen: number;
  lost: boolean;
  held: Map<number, RemoteRun>;
  /** Wakes the agent's waiting heartbeat. */
  wake: (() => void) | null;
}

/** Summarizes an agent for GET /api/agents. */
export function summarizeAgent(entry: AgentEntry): WireAgent {
  return {
    name: entry.name,
    labels: entry.labels,
    version: entry.version,
    status: entry.lost ? 'lost' : entry.held.size > 0 ? 'busy' : 'idle',
    executions: [...entry.held.keys()].map(String),
    last_seen: new Date(entry.lastSeen).toISOString(),
    address: entry.address,
    concurrency: entry.concurrency,
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
