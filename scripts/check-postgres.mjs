// Checks that the PostgreSQL server the tests use answers and lets this user create databases; CI runs it before the tests.
import pg from 'pg';

const url = process.env.STEPFLOW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const shown = (() => {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable URL>';
  }
})();
const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
try {
  await client.connect();
  const { rows } = await client.query(
    "SELECT current_setting('server_version') AS version, (SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS can_create",
  );
  if (rows[0]?.can_create !== true)
    throw new Error('this user may not CREATE DATABASE, which every PostgreSQL test file does');
  console.log(`PostgreSQL ${rows[0].version} answers at ${shown}`);
} catch (error) {
  console.error(`PostgreSQL is not usable at ${shown}: ${error instanceof Error ? error.message : String(error)}`);
  console.error(
    'The store contract and the PostgreSQL integration tests need it: start it (127.0.0.1:5432, trust auth for user postgres) or set STEPFLOW_TEST_DATABASE_URL.',
  );
  process.exitCode = 1;
} finally {
  await client.end().catch(() => {});
}
