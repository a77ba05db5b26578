// Owns seeding a storage directory with finished executions straight through our SQLite store (no HTTP, no processes).
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.js';

/** Adds finished executions numbered `from` up to `to` (exclusive) to the store in `storage`; returns the seconds it took. */
export async function seedExecutions(storage: string, from: number, to: number): Promise<number> {
  const started = performance.now();
  const store = await openSqliteStore({ storagePath: storage, cacheSizeKib: 65536, walAutocheckpoint: 1000 });
  const base = Date.now() - to * 1000;
  for (let i = from; i < to; i++) {
    const created = base + i * 1000;
    const record = await store.createExecution(
      {
        name: `seeded ${i}`,
        command: `./build.sh --target ${i % 7}`,
        working_directory: '/tmp',
        environment: {},
        tags: i % 10 === 0 ? ['nightly'] : [],
        metadata: {},
        user: `user${i % 5}`,
        timeout_seconds: null,
        runs_on: [],
      },
      created,
    );
    await store.updateExecution(record.id, {
      status: i % 9 === 0 ? 'failed' : 'completed',
      exit_code: i % 9 === 0 ? 1 : 0,
      started_at: created + 10,
      completed_at: created + 900,
      total_steps: 4,
      completed_steps: 4,
    });
  }
  await store.close();
  return (performance.now() - started) / 1000;
}
