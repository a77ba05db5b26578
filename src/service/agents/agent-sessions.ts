// Owns agent registrations and sessions: stored in the database (the token's hash, never the token), valid on every server.
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/app-error.js';
import type { AgentRegister } from '../../core/agent-protocol.js';
import type { AgentRow } from '../../store/agent-store.js';
import { normalizeLabels } from '../normalize-new-execution.js';
import type { ServiceDeps } from '../service-deps.js';
import type { AgentCaller } from './agent-host.js';
import type { AgentHolds } from './agent-holds.js';

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * How long a checked session is trusted without asking the database again. An agent sends many requests a second;
 * a session replaced or lost through another server is refused here at most this much later (a registration
 * through this server ends the previous session here at once).
 */
const SESSION_CACHE_MS = 1000;

/** Registers agents and checks their sessions; `touchEveryMs` spaces out the last_seen writes of one agent. */
export function createAgentSessions(deps: ServiceDeps, holds: AgentHolds, touchEveryMs: number) {
  const { clock } = deps;
  const agents = deps.store.agents;
  const checked = new Map<string, { row: AgentRow; until: number }>();

  async function findSession(hash: string): Promise<AgentRow | null> {
    const now = clock.now();
    const cached = checked.get(hash);
    if (cached !== undefined && cached.until > now) return cached.row;
    const row = await agents.findAgentSession(hash);
    if (checked.size > 10_000) for (const [key, entry] of checked) if (entry.until <= now) checked.delete(key);
    if (row === null || row.lost) checked.delete(hash);
    else checked.set(hash, { row, until: now + SESSION_CACHE_MS });
    return row;
  }

  async function touch(row: AgentRow, address: string): Promise<void> {
    const entry = holds.entry(row.name);
    entry.labels = row.labels;
    const now = clock.now();
    if (now - entry.touchedAt < touchEveryMs && address === row.address) return;
    entry.touchedAt = now;
    await agents.touchAgent(row.name, address, now);
  }

  return {
    /** Stores a new registration and session for the agent (ending its previous session); answers the token. */
    async register(input: AgentRegister, caller: AgentCaller): Promise<{ row: AgentRow; token: string }> {
      const [name] = normalizeLabels([input.name], 'name');
      const agentName = name ?? input.name;
      const existing = await agents.getAgent(agentName);
      if (existing && !existing.lost && existing.session_hash !== null && existing.key_name !== caller.key)
        throw new AppError('forbidden', `agent ${agentName} is connected with another key`, 'name');
      const token = randomBytes(24).toString('base64url');
      const row: AgentRow = {
        name: agentName,
        labels: normalizeLabels(input.labels, 'labels'),
        version: input.version,
        address: caller.address,
        concurrency: input.concurrency,
        key_name: caller.key,
        session_hash: hashToken(token),
        last_seen: clock.now(),
        lost: false,
      };
      await agents.registerAgent(row);
      for (const [key, entry] of checked) if (entry.row.name === agentName) checked.delete(key);
      const entry = holds.entry(agentName);
      entry.labels = row.labels;
      entry.touchedAt = row.last_seen;
      // A heartbeat of the previous session waiting here answers now.
      entry.wake?.();
      return { row, token };
    },

    /** The agent of a live session, counted as heard from; agent_session_unknown once ended or lost. */
    async check(token: string, caller: AgentCaller): Promise<AgentRow> {
      const row = await findSession(hashToken(token));
      if (!row || row.lost)
        throw new AppError(
          'agent_session_unknown',
          'this agent session is unknown (it was replaced, or the agent was lost); register again',
          'session',
        );
      if (row.key_name !== caller.key)
        throw new AppError('forbidden', `session of agent ${row.name} belongs to another key`, 'session');
      await touch(row, caller.address);
      return row;
    },

    /** True while the session is still the agent's current one. */
    async current(token: string): Promise<boolean> {
      const row = await agents.findAgentSession(hashToken(token));
      return row !== null && !row.lost;
    },
  };
}
