// Owns agent rows and the agents' queue in SQLite: one server, so a claim is a single UPDATE … RETURNING.
import type { ExecutionStatus } from '../../core/execution.js';
import type { AgentClaim, AgentHold, AgentRow, AgentStore } from '../agent-store.js';
import type { SqliteConnection } from './sqlite-connection.js';

interface StoredAgent extends Omit<AgentRow, 'labels' | 'lost'> {
  labels: string;
  lost: number;
}

const toAgent = (row: StoredAgent): AgentRow => ({
  ...row,
  labels: JSON.parse(row.labels) as string[],
  lost: row.lost === 1,
});

// An execution the agent may run: every label it asks for is one of the agent's (a JSON array in ?).
const QUEUED = `status = 'pending' AND agent IS NULL AND (runs_on <> '[]' OR ?)`;
const LABELS_MATCH = `NOT EXISTS (SELECT 1 FROM json_each(executions.runs_on) AS wanted
  WHERE wanted.value NOT IN (SELECT value FROM json_each(?)))`;

/** Agent persistence over one SQLite connection (methods settle at once: better-sqlite3 is synchronous). */
export class SqliteAgents implements AgentStore {
  readonly #sqlite: SqliteConnection;

  constructor(sqlite: SqliteConnection) {
    this.#sqlite = sqlite;
  }

  async registerAgent(row: AgentRow): Promise<void> {
    this.#sqlite
      .prepare(
        `INSERT INTO agents (name, labels, version, address, concurrency, key_name, session_hash, last_seen, lost)
         VALUES (@name, @labels, @version, @address, @concurrency, @key_name, @session_hash, @last_seen, 0)
         ON CONFLICT (name) DO UPDATE SET labels = excluded.labels, version = excluded.version, address = excluded.address,
           concurrency = excluded.concurrency, key_name = excluded.key_name, session_hash = excluded.session_hash,
           last_seen = excluded.last_seen, lost = 0`,
      )
      .run({ ...row, labels: JSON.stringify(row.labels) });
  }

  async getAgent(name: string): Promise<AgentRow | null> {
    const row = this.#sqlite.prepare('SELECT * FROM agents WHERE name = ?').get(name) as StoredAgent | undefined;
    return row ? toAgent(row) : null;
  }

  async findAgentSession(sessionHash: string): Promise<AgentRow | null> {
    const row = this.#sqlite.prepare('SELECT * FROM agents WHERE session_hash = ?').get(sessionHash) as
      StoredAgent | undefined;
    return row ? toAgent(row) : null;
  }

  async touchAgent(name: string, address: string, now: number): Promise<void> {
    this.#sqlite
      .prepare('UPDATE agents SET last_seen = MAX(last_seen, ?), address = ? WHERE name = ?')
      .run(now, address, name);
  }

  async touchAllAgents(now: number): Promise<void> {
    this.#sqlite.prepare('UPDATE agents SET last_seen = MAX(last_seen, ?) WHERE lost = 0').run(now);
  }

  async listAgents(): Promise<{ agent: AgentRow; executions: number[] }[]> {
    const agents = this.#sqlite.prepare('SELECT * FROM agents ORDER BY name').all() as StoredAgent[];
    const held = this.#sqlite
      .prepare(
        "SELECT id, agent FROM executions WHERE agent IS NOT NULL AND status IN ('pending', 'running') ORDER BY id",
      )
      .all() as { id: number; agent: string }[];
    return agents.map((row) => ({
      agent: toAgent(row),
      executions: held.filter((hold) => hold.agent === row.name).map((hold) => hold.id),
    }));
  }

  async markLostAgents(silentBefore: number): Promise<string[]> {
    const rows = this.#sqlite
      .prepare('UPDATE agents SET lost = 1, session_hash = NULL WHERE lost = 0 AND last_seen < ? RETURNING name')
      .all(silentBefore) as { name: string }[];
    return rows.map((row) => row.name);
  }

  async claimForAgent(claim: AgentClaim): Promise<number[]> {
    if (claim.limit <= 0) return [];
    const rows = this.#sqlite
      .prepare(
        `UPDATE executions SET agent = ? WHERE id IN
           (SELECT id FROM executions WHERE ${QUEUED} AND ${LABELS_MATCH} ORDER BY id LIMIT ?) RETURNING id`,
      )
      .all(claim.agent, claim.anyExecution ? 1 : 0, JSON.stringify(claim.labels), claim.limit) as { id: number }[];
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async heldByAgent(agent: string): Promise<AgentHold[]> {
    const rows = this.#sqlite
      .prepare(
        "SELECT id, status, cancel_requested FROM executions WHERE agent = ? AND status IN ('pending', 'running') ORDER BY id",
      )
      .all(agent) as { id: number; status: ExecutionStatus; cancel_requested: number }[];
    return rows.map((row) => ({ ...row, cancel_requested: row.cancel_requested === 1 }));
  }

  async countAgentQueue(anyExecution: boolean): Promise<number> {
    const row = this.#sqlite
      .prepare(`SELECT COUNT(*) AS n FROM executions WHERE ${QUEUED}`)
      .get(anyExecution ? 1 : 0) as {
      n: number;
    };
    return row.n;
  }

  async requestCancel(executionId: number): Promise<void> {
    this.#sqlite.prepare('UPDATE executions SET cancel_requested = 1 WHERE id = ?').run(executionId);
  }

  async cancelQueued(executionId: number, anyExecution: boolean, completedAt: number): Promise<boolean> {
    const changed = this.#sqlite
      .prepare(
        `UPDATE executions SET status = 'cancelled', completed_at = ?, error_message = 'cancelled by request'
         WHERE id = ? AND ${QUEUED}`,
      )
      .run(completedAt, executionId, anyExecution ? 1 : 0).changes;
    return changed === 1;
  }
}
