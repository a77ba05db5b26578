// The environment a real script inherits from the server: none of the server's secrets unless passed through, the request's own as given.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApp } from '../../src/app.js';
import { clientFor, testConfig, type TestServer } from './harness.js';

const SERVER_ENV = {
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  PLAIN_SETTING: 'visible',
  STEPFLOW_API_KEY: 'server-admin-key-0123456789',
  GITHUB_TOKEN: 'ghp_server_token_value',
  DEPLOY_PASSWORD: 'server-password-value',
  SIGNING_KEY: 'server-signing-key',
  DATABASE_URL: 'postgres://app:db-password-value@127.0.0.1:5432/app',
  PUBLIC_URL: 'https://example.com/docs',
  NPM_TOKEN: 'npm-token-passed-on-purpose',
};

describe('the environment scripts inherit from the server', () => {
  let server: TestServer;
  let storage = '';

  before(async () => {
    storage = mkdtempSync(join(tmpdir(), 'stepflow-child-env-'));
    const app = await startApp(testConfig(storage, { childEnvPassthrough: ['NPM_TOKEN'] }), { env: SERVER_ENV });
    server = clientFor(app.url, storage, app, () => app.close());
  });
  after(async () => {
    await server?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  async function printedEnvironment(environment: Record<string, string> = {}): Promise<Map<string, string>> {
    const id = await server.create({ command: 'env', environment });
    assert.equal((await server.waitForEnd(id)).execution.status, 'completed');
    const lines = (await server.allLines(id)).map((line) => line.content);
    return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  it("withholds STEPFLOW_*, secret-named variables and URLs with a password (regression: a script could print the server's secrets)", async () => {
    const env = await printedEnvironment();
    for (const name of ['STEPFLOW_API_KEY', 'GITHUB_TOKEN', 'DEPLOY_PASSWORD', 'SIGNING_KEY', 'DATABASE_URL'])
      assert.equal(env.has(name), false, `${name} reached the script`);
    assert.equal(env.get('PLAIN_SETTING'), 'visible');
    assert.equal(env.get('PUBLIC_URL'), 'https://example.com/docs');
  });

  it('passes what STEPFLOW_CHILD_ENV_PASSTHROUGH names', async () => {
    const env = await printedEnvironment();
    // Stored masked, like every secret-named value the script prints.
    assert.equal(env.get('NPM_TOKEN'), '***');
  });

  it("passes the request's own variables as given, secret names included", async () => {
    const env = await printedEnvironment({ DEPLOY_PASSWORD: 'from-the-request', DATABASE_URL: 'postgres://u:p@h/db' });
    assert.equal(env.get('DEPLOY_PASSWORD'), '***');
    assert.equal(env.get('DATABASE_URL'), 'postgres://u:p@h/db');
  });
});
