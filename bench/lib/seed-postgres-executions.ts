// Owns seeding a PostgreSQL database with finished executions in one set-based INSERT (the same rows seedExecutions gives SQLite).
import pg from 'pg';

/** Adds `count` finished executions to the (migrated) database at `url`; returns the seconds it took. */
export async function seedPostgresExecutions(url: string, count: number): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const base = Date.now() - count * 1000;
    await client.query(
      `INSERT INTO executions (name, command, command_text, working_directory, environment, tags, metadata, "user", status, exit_code, created_at, started_at, completed_at, total_steps, completed_steps)
       SELECT 'seeded ' || i, to_json('./build.sh --target ' || (i % 7))::text, './build.sh --target ' || (i % 7), '/tmp', '{}', CASE WHEN i % 10 = 0 THEN '["nightly"]' ELSE '[]' END, '{}',
              'user' || (i % 5), CASE WHEN i % 9 = 0 THEN 'failed' ELSE 'completed' END, CASE WHEN i % 9 = 0 THEN 1 ELSE 0 END,
              $1::bigint + i * 1000, $1::bigint + i * 1000 + 10, $1::bigint + i * 1000 + 900, 4, 4
       FROM generate_series(0, $2::int - 1) AS i`,
      [base, count],
    );
    await client.query(
      `INSERT INTO execution_tags (execution_id, tag) SELECT id, 'nightly' FROM executions WHERE tags = '["nightly"]'`,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}
