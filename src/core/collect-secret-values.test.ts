// Tests which environment variables count as secrets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectSecretValues, compileSecretNamePatterns } from './collect-secret-values.js';

describe('collectSecretValues', () => {
  const defaults = compileSecretNamePatterns(['*TOKEN*', '*SECRET*', '*PASSWORD*', '*_KEY']);

  it('takes the values of secret-looking names, case-insensitively', () => {
    const env = {
      GITHUB_TOKEN: 'g1',
      db_password: 'p1',
      AWS_SECRET_ACCESS_KEY: 's1',
      API_KEY: 'k1',
      KEYBOARD: 'no',
      PATH: '/bin',
      EMPTY_TOKEN: '',
    };
    assert.deepEqual(collectSecretValues(defaults, env).sort(), ['g1', 'k1', 'p1', 's1']);
  });

  it('reads several environments and none when no pattern is configured', () => {
    assert.deepEqual(collectSecretValues(defaults, { A_TOKEN: 'x' }, { B_KEY: 'y' }), ['x', 'y']);
    assert.deepEqual(collectSecretValues(compileSecretNamePatterns([]), { A_TOKEN: 'x' }), []);
  });
});
