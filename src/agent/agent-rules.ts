// Owns the server's rules an agent applies on its machine: which of its variables are secrets, and the artifact size limit.
import type { AgentRegistered } from '../core/agent-protocol.js';
import { collectSecretValues, compileSecretNamePatterns } from '../core/collect-secret-values.js';
import { filterServerEnvironment } from '../runner/filter-server-environment.js';

/** What every run on the agent gets from the rules the server is configured with. */
export interface AgentRules {
  /** The agent's environment minus its secrets (the server's name patterns, `STEPFLOW_*`, URLs with a password). */
  inherited: Record<string, string>;
  /** Values of the agent's secret variables: masked in every run's output, as the server masks its own. */
  secrets: string[];
  /** Most bytes of an artifact (a directory's contents before compression, and its .tar.gz). */
  maxArtifactBytes: number;
}

// What a server says when it is not configured otherwise; also used with a server too old to say.
const DEFAULT_SECRET_NAME_PATTERNS = ['*TOKEN*', '*SECRET*', '*PASSWORD*', '*_KEY'];
const DEFAULT_MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

/** The rules the server's registration answer names (before any answer: the server's defaults). */
export function agentRules(env: Record<string, string | undefined>, answer: AgentRegistered | null): AgentRules {
  const names = compileSecretNamePatterns(answer?.secret_name_patterns ?? DEFAULT_SECRET_NAME_PATTERNS);
  return {
    inherited: filterServerEnvironment(env, { secretNames: names, passthrough: answer?.env_passthrough ?? [] }),
    // As on the server, a variable let through is still masked.
    secrets: collectSecretValues(names, env),
    maxArtifactBytes: answer?.max_artifact_bytes ?? DEFAULT_MAX_ARTIFACT_BYTES,
  };
}
