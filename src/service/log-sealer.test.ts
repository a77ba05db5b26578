// Checks the background sealer on PostgreSQL: tails a dead server left unsealed are sealed once their runs are ended, by whichever server sweeps, exactly once.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { createEventBus } from '../bus/event-bus.js';
import { openPostgresStore } from '../store/postgres/open-postgres-store.js';
import { createTestDatabase } from '../store/postgres/create-test-database.js';
import { logLines, newExecution } from '../store/store-contract-fixtures.js';
import { startLogSealer } from './log-sealer.js';

const database = await createTestDatabase('log-sealer');
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function rows(url: string, sql: string): Promise<Record<string, number>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, number>[];
  } finally {
    await client.end();
  }
}

if ('skip' in database) {
  it('log sealer on PostgreSQL', { skip: database.skip }, () => {});
} else {
  after(() => database.drop());

  describe('log sealer in a cluster', () => {
    it('seals the tail a dead server left once its run is ended, from two servers sweeping at once, once', async () => {
      const url = await database.freshSchemaUrl();
      const [dead, b, c] = await Promise.all([1, 2, 3].map(() => openPostgresStore({ url, poolSize: 3 })));
      if (dead === undefined || b === undefined || c === undefined) throw new Error('stores did not open');
      const sealers = [b, c].map((store) =>
        startLogSealer({ store, bus: createEventBus(), logger: quiet, sweepMs: 50 }),
      );
      try {
        const { id } = await dead.createExecution(newExecution(), 1);
        await dead.updateExecution(id, { status: 'running', started_at: 1 });
        const all = logLines(1, 5_000, null);
        for (let at = 0; at < all.length; at += 500) await dead.appendLogLines(id, all.slice(at, at + 500));
        await dead.close();
        // The run is ended by another server, with no event reaching these sealers.
        await b.updateExecution(id, { status: 'failed', completed_at: 2 });
        const tailRows = async (): Promise<number> =>
          Number((await rows(url, `SELECT COUNT(*) AS n FROM log_lines WHERE execution_id = ${id}`))[0]?.n);
        for (let waited = 0; (await tailRows()) > 0; waited += 50) {
          assert.ok(waited < 15_000, 'the unsealed tail was not sealed within 15 s');
          await sleep(50);
        }
        await Promise.all(sealers.map((sealer) => sealer.drain()));
        const chunks = await rows(
          url,
          `SELECT first_line, last_line FROM log_chunks WHERE execution_id = ${id} ORDER BY last_line`,
        );
        let next = 1;
        for (const chunk of chunks) {
          assert.equal(Number(chunk.first_line), next, JSON.stringify(chunks));
          next = Number(chunk.last_line) + 1;
        }
        assert.equal(next, 5_001);
        const filters = await rows(url, `SELECT COUNT(*) AS n FROM log_chunk_grams WHERE execution_id = ${id}`);
        assert.equal(Number(filters[0]?.n), chunks.length);
        assert.deepEqual(await c.readLogLines(id, { offset: 0, limit: 10_000 }), { lines: all, total: 5_000 });
      } finally {
        await Promise.all(sealers.map((sealer) => sealer.stop()));
        await Promise.all([b.close(), c.close()]);
      }
    });

    it('lets two servers take the backlog at once: the one that waited on a log goes on to the next', async () => {
      const url = await database.freshSchemaUrl();
      const [b, c] = await Promise.all([1, 2].map(() => openPostgresStore({ url, poolSize: 3 })));
      if (b === undefined || c === undefined) throw new Error('stores did not open');
      try {
        for (let run = 0; run < 2; run++) {
          const { id } = await b.createExecution(newExecution(), 1);
          await b.appendLogLines(id, logLines(1, 3_000, null));
          await b.updateExecution(id, { status: 'completed', completed_at: 2 });
        }
        const sealed = await Promise.all([b.sealLogBacklog(100_000), c.sealLogBacklog(100_000)]);
        assert.deepEqual(sealed, [3_000, 3_000]);
        assert.equal(await b.sealLogBacklog(100_000), 0);
      } finally {
        await Promise.all([b.close(), c.close()]);
      }
    });
  });
}
