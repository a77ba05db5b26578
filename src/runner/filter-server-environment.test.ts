// Unit tests for filterServerEnvironment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { filterServerEnvironment } from './filter-server-environment.js';

const SECRET_NAMES = /^(?:.*TOKEN.*|.*SECRET.*|.*PASSWORD.*|.*_KEY)$/i;

describe('filterServerEnvironment', () => {
  it('removes every STEPFLOW_ variable', () => {
    const env = filterServerEnvironment(
      { PATH: '/bin', STEPFLOW_API_KEY: 'k'.repeat(20), STEPFLOW_PORT: '8080' },
      { secretNames: null, passthrough: [] },
    );
    assert.deepEqual(env, { PATH: '/bin' });
  });

  it('removes variables whose names are secret names, whatever their case', () => {
    const env = filterServerEnvironment(
      { GITHUB_TOKEN: 'a', db_password: 'b', AWS_SECRET_ACCESS_KEY: 'c', API_KEY: 'd', KEYBOARD: 'us' },
      { secretNames: SECRET_NAMES, passthrough: [] },
    );
    assert.deepEqual(env, { KEYBOARD: 'us' });
  });

  it('removes URLs that carry a password, whatever the variable is called', () => {
    const env = filterServerEnvironment(
      {
        DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/app',
        CACHE: 'redis://:pw@127.0.0.1:6379/0',
        PLAIN_URL: 'https://example.com/x',
        USER_ONLY: 'ssh://git@example.com/repo',
        NOT_URL: 'a:b@c',
      },
      { secretNames: null, passthrough: [] },
    );
    assert.deepEqual(env, {
      PLAIN_URL: 'https://example.com/x',
      USER_ONLY: 'ssh://git@example.com/repo',
      NOT_URL: 'a:b@c',
    });
  });

  it('keeps what the passthrough list names, of every kind', () => {
    const server = {
      STEPFLOW_URL: 'http://127.0.0.1:8080',
      NPM_TOKEN: 't',
      DATABASE_URL: 'postgres://u:p@h/db',
      OTHER_TOKEN: 'o',
    };
    const env = filterServerEnvironment(server, {
      secretNames: SECRET_NAMES,
      passthrough: ['STEPFLOW_URL', 'NPM_TOKEN', 'DATABASE_URL'],
    });
    assert.deepEqual(env, {
      STEPFLOW_URL: 'http://127.0.0.1:8080',
      NPM_TOKEN: 't',
      DATABASE_URL: 'postgres://u:p@h/db',
    });
  });

  it('drops undefined values and does not modify its input', () => {
    const server = { UNSET: undefined, A_TOKEN: 'x' };
    assert.deepEqual(filterServerEnvironment(server, { secretNames: SECRET_NAMES, passthrough: [] }), {});
    assert.deepEqual(server, { UNSET: undefined, A_TOKEN: 'x' });
  });
});
