// Owns agent rows and the agents' queue in PostgreSQL: claims row-locked with FOR UPDATE SKIP LOCKED, loss decided by one conditional UPDATE.
import type { Pool } from 'pg';
import type { ExecutionStatus } from '../../core/execution.js';
import type { AgentClaim, AgentHold, AgentRow, AgentStore } from '../agent-store.js';

interface StoredAgent extends Omit<AgentRow, 'labels'> {
  labels: string;
}

const toAgent = (row: StoredAgent): AgentRow => ({ ...row, labels: JSON.parse(row.labels) as string[] });

// Pending, held by no agent and claimed by no server; `runs_on` empty only when $ANY allows it.
const queued = (any: string): string =>
  `status = 'pending' AND agent IS NULL AND claimed_by IS NULL AND (runs_on <> '[]' OR ${any})`;

/** Agent persistence over a PostgreSQL pool; every server on the database sees the same rows. */
export class PostgresAgents implements AgentStore {
  readonly #pool: Pool;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  async registerAgent(row: AgentRow): Promise<void> {
    await this.#pool.query(
      `INSERT INTO agents (name, labels, version, address, concurrency, key_name, session_hash, last_seen, lost)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false)
       ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, version = excluded.version, address = excluded.address,
         concurrency = excluded.concurrency, key_name = excluded.key_name, session_hash = excluded.session_hash,
         last_seen = excluded.last_seen, lost = false`,
      [
        row.name,
        JSON.stringify(row.labels),
        row.version,
        row.address,
        row.concurrency,
        row.key_name,
        row.session_hash,
        row.last_seen,
      ],
    );
  }

  async getAgent(name: string): Promise<AgentRow | null> {
    const result = await this.#pool.query<StoredAgent>('SELECT * FROM agents WHERE name = $1', [name]);
    const row = result.rows[0];
    return row ? toAgent(row) : null;
  }

  async findAgentSession(sessionHash: string): Promise<AgentRow | null> {
    const result = await this.#pool.query<StoredAgent>('SELECT * FROM agents WHERE session_hash = $1', [sessionHash]);
    const row = result.rows[0];
    return row ? toAgent(row) : null;
  }

  async touchAgent(name: string, address: string, now: number): Promise<void> {
    await this.#pool.query('UPDATE agents SET last_seen = GREATEST(last_seen, $1), address = $2 WHERE name = $3', [
      now,
      address,
      name,
    ]);
  }

  async touchAllAgents(now: number): Promise<void> {
    await this.#pool.query('UPDATE agents SET last_seen = GREATEST(last_seen, $1) WHERE NOT lost', [now]);
  }

  async listAgents(): Promise<{ agent: AgentRow; executions: number[] }[]> {
    const [agents, held] = await Promise.all([
      this.#pool.query<StoredAgent>('SELECT * FROM agents ORDER BY name'),
      this.#pool.query<{ id: number; agent: string }>(
        "SELECT id, agent FROM executions WHERE agent IS NOT NULL AND status IN ('pending', 'running') ORDER BY id",
      ),
    ]);
    return agents.rows.map((row) => ({
      agent: toAgent(row),
      executions: held.rows.filter((hold) => hold.agent === row.name).map((hold) => hold.id),
    }));
  }

  async markLostAgents(silentBefore: number): Promise<string[]> {
    // Row locks make the condition re-checked by a second server's UPDATE: each agent is declared lost once.
    const result = await this.#pool.query<{ name: string }>(
      'UPDATE agents SET lost = true, session_hash = NULL WHERE NOT lost AND last_seen < $1 RETURNING name',
      [silentBefore],
    );
    return result.rows.map((row) => row.name);
  }

  async claimForAgent(claim: AgentClaim): Promise<number[]> {
    if (claim.limit <= 0) return [];
    const result = await this.#pool.query<{ id: number }>(
      `UPDATE executions SET agent = $1, claimed_by = $2 WHERE id IN
         (SELECT id FROM executions WHERE ${queued('$3')} AND runs_on::jsonb <@ $4::jsonb
          ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [claim.agent, claim.server, claim.anyExecution, JSON.stringify(claim.labels), claim.limit],
    );
    return result.rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async heldByAgent(agent: string): Promise<AgentHold[]> {
    const result = await this.#pool.query<{ id: number; status: ExecutionStatus; cancel_requested: boolean }>(
      "SELECT id, status, cancel_requested FROM executions WHERE agent = $1 AND status IN ('pending', 'running') ORDER BY id",
      [agent],
    );
    return result.rows;
  }

  async countAgentQueue(anyExecution: boolean): Promise<number> {
    const result = await this.#pool.query<{ n: number }>(
      `SELECT COUNT(*)::int AS n FROM executions WHERE ${queued('$1')}`,
      [anyExecution],
    );
    return result.rows[0]?.n ?? 0;
  }

  async requestCancel(executionId: number): Promise<void> {
    await this.#pool.query('UPDATE executions SET cancel_requested = true WHERE id = $1', [executionId]);
  }

  async cancelQueued(executionId: number, anyExecution: boolean, completedAt: number): Promise<boolean> {
    const result = await this.#pool.query(
      `UPDATE executions SET status = 'cancelled', completed_at = $1, error_message = 'cancelled by request'
       WHERE id = $2 AND ${queued('$3')}`,
      [completedAt, executionId, anyExecution],
    );
    return result.rowCount === 1;
  }
}
