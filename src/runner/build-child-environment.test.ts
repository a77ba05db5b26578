// Unit tests for buildChildEnvironment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildChildEnvironment } from './build-child-environment.js';

describe('buildChildEnvironment', () => {
  it('removes every STEPFLOW_ variable from the base', () => {
    const env = buildChildEnvironment({ PATH: '/bin', STEPFLOW_TOKEN: 'secret', STEPFLOW_PORT: '8080' }, {});
    assert.deepEqual(env, { PATH: '/bin', PYTHONUNBUFFERED: '1' });
  });

  it('lets requested variables override the base', () => {
    const env = buildChildEnvironment({ HOME: '/root', LANG: 'C' }, { LANG: 'en_US.UTF-8', EXTRA: 'x' });
    assert.equal(env['LANG'], 'en_US.UTF-8');
    assert.equal(env['EXTRA'], 'x');
    assert.equal(env['HOME'], '/root');
  });

  it('drops undefined base values', () => {
    assert.equal('UNSET' in buildChildEnvironment({ UNSET: undefined }, {}), false);
  });

  it('always sets PYTHONUNBUFFERED=1', () => {
    assert.equal(buildChildEnvironment({ PYTHONUNBUFFERED: '0' }, { PYTHONUNBUFFERED: '0' })['PYTHONUNBUFFERED'], '1');
  });

  it('does not modify its inputs', () => {
    const base = { STEPFLOW_X: '1' };
    buildChildEnvironment(base, { A: 'b' });
    assert.deepEqual(base, { STEPFLOW_X: '1' });
  });
});
