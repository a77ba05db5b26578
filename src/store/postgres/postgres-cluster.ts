// Owns ClusterCoordinator on PostgreSQL: claims with FOR UPDATE SKIP LOCKED, heartbeats on the database clock, LISTEN/NOTIFY.
import pg, { type Pool } from 'pg';
import type { ClusterCoordinator, ClusterNotice, LostServer } from '../cluster-coordinator.js';

const CHANNEL = 'stepflow_events';
const TAKE_OVER = `WITH old AS (SELECT id, claimed_by FROM executions
    WHERE id = $1 AND agent IS NOT NULL AND status IN ('pending', 'running') FOR UPDATE)
  UPDATE executions SET claimed_by = $2 FROM old WHERE executions.id = old.id RETURNING old.claimed_by AS previous`;
const NOW_MS = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';
const CLAIM = `UPDATE executions SET claimed_by = $1
  WHERE id IN (SELECT id FROM executions WHERE status = 'pending' AND claimed_by IS NULL AND agent IS NULL AND runs_on = '[]' ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING id`;

/** Coordination of the servers sharing one PostgreSQL database. */
export class PostgresCluster implements ClusterCoordinator {
  readonly serverName: string;
  readonly #pool: Pool;
  readonly #url: string;
  readonly #onListenError: (error: Error) => void;
  #listener: pg.Client | null = null;
  #closed = false;
  /** Settles once every notice sent so far is committed; notices go out in the order they were asked for. */
  #notifyTail: Promise<void> = Promise.resolve();

  constructor(pool: Pool, url: string, serverName: string, onListenError: (error: Error) => void) {
    this.#pool = pool;
    this.#url = url;
    this.serverName = serverName;
    this.#onListenError = onListenError;
  }

  async heartbeat(): Promise<void> {
    await this.#pool.query(
      `INSERT INTO servers (name, started_at, heartbeat_at) VALUES ($1, ${NOW_MS}, ${NOW_MS}) ON CONFLICT (name) DO UPDATE SET heartbeat_at = ${NOW_MS}`,
      [this.serverName],
    );
  }

  async claimPending(limit: number): Promise<number[]> {
    if (limit <= 0) return [];
    const result = await this.#pool.query<{ id: number }>(CLAIM, [this.serverName, limit]);
    return result.rows.map((row) => row.id).sort((a, b) => a - b);
  }

  async takeOver(executionId: number): Promise<{ previous: string | null } | null> {
    const result = await this.#pool.query<{ previous: string | null }>(TAKE_OVER, [executionId, this.serverName]);
    const row = result.rows[0];
    return row ? { previous: row.previous } : null;
  }

  async releaseClaim(executionId: number): Promise<void> {
    await this.#pool.query(
      "UPDATE executions SET claimed_by = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'pending'",
      [executionId, this.serverName],
    );
  }

  async recoverOwn(): Promise<number[]> {
    await this.#pool.query("UPDATE executions SET claimed_by = NULL WHERE claimed_by = $1 AND status = 'pending'", [
      this.serverName,
    ]);
    const running = await this.#pool.query<{ id: number }>(
      "SELECT id FROM executions WHERE claimed_by = $1 AND status = 'running' ORDER BY id",
      [this.serverName],
    );
    return running.rows.map((row) => row.id);
  }

  /**
   * One transaction: drops servers silent for `lostSeconds`, then takes (row-locked, SKIP LOCKED, so two reapers never
   * share one) every unfinished execution claimed by a server without a row, clearing its claim.
   */
  async reapLost(lostSeconds: number): Promise<LostServer[]> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`DELETE FROM servers WHERE heartbeat_at < ${NOW_MS} - $1::bigint AND name <> $2`, [
        Math.round(lostSeconds * 1000),
        this.serverName,
      ]);
      const orphans = await client.query<{ id: number; claimed_by: string; status: string; agent: string | null }>(
        `SELECT id, claimed_by, status, agent FROM executions WHERE claimed_by IS NOT NULL AND claimed_by <> $1 AND status IN ('pending', 'running')
         AND NOT EXISTS (SELECT 1 FROM servers WHERE servers.name = executions.claimed_by) ORDER BY id FOR UPDATE SKIP LOCKED`,
        [this.serverName],
      );
      if (orphans.rows.length > 0)
        await client.query('UPDATE executions SET claimed_by = NULL WHERE id = ANY($1)', [
          orphans.rows.map((row) => row.id),
        ]);
      await client.query('COMMIT');
      const lost = new Map<string, number[]>();
      for (const row of orphans.rows) {
        const running = lost.get(row.claimed_by) ?? [];
        // An agent's run did not stop with the server: the next server its agent reaches takes it over.
        if (row.status === 'running' && row.agent === null) running.push(row.id);
        lost.set(row.claimed_by, running);
      }
      return [...lost].map(([server, running]) => ({ server, running }));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async notify(notice: ClusterNotice): Promise<void> {
    // One at a time: two pooled connections may commit their NOTIFYs in either order, and the other servers replay
    // notices in arrival order (an execution's "updated" arriving after its "completed" reopened it for subscribers).
    const sent = this.#notifyTail.then(() =>
      this.#pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(notice)]),
    );
    this.#notifyTail = sent.then(
      () => undefined,
      () => undefined,
    );
    await sent;
  }

  /** A dedicated connection (LISTEN belongs to a session, so not a pooled one), reopened after a failure. */
  async listen(onNotice: (notice: ClusterNotice) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const notice = JSON.parse(message.payload) as ClusterNotice;
      if (notice.server !== this.serverName) onNotice(notice);
    });
    client.on('error', (error) => {
      this.#onListenError(error);
      this.#listener = null;
      client.end().catch(() => {});
      this.#relisten(onNotice);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#listener = client;
  }

  /** Tries to listen again every second until it works or the coordinator is closed. */
  #relisten(onNotice: (notice: ClusterNotice) => void): void {
    if (this.#closed) return;
    setTimeout(() => {
      this.listen(onNotice).catch((error: Error) => {
        this.#onListenError(error);
        this.#relisten(onNotice);
      });
    }, 1_000).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#listener?.end().catch(() => {});
    this.#listener = null;
    // Claims on executions this server never started go back to the queue for the others; agents' runs go on
    // through whichever server their agent reaches next.
    await this.#pool
      .query(
        "UPDATE executions SET claimed_by = NULL WHERE claimed_by = $1 AND (status = 'pending' OR (status = 'running' AND agent IS NOT NULL))",
        [this.serverName],
      )
      .catch(() => {});
    await this.#pool.query('DELETE FROM servers WHERE name = $1', [this.serverName]).catch(() => {});
  }
}
