// Unit tests for buildChildEnvironment.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildChildEnvironment } from './build-child-environment.js';

describe('buildChildEnvironment', () => {
  it('lets requested variables override the inherited ones', () => {
    const env = buildChildEnvironment({ HOME: '/root', LANG: 'C' }, { LANG: 'en_US.UTF-8', EXTRA: 'x' });
    assert.equal(env['LANG'], 'en_US.UTF-8');
    assert.equal(env['EXTRA'], 'x');
    assert.equal(env['HOME'], '/root');
  });

  it('drops undefined inherited values', () => {
    assert.equal('UNSET' in buildChildEnvironment({ UNSET: undefined }, {}), false);
  });

  it('always sets PYTHONUNBUFFERED=1', () => {
    assert.equal(buildChildEnvironment({ PYTHONUNBUFFERED: '0' }, { PYTHONUNBUFFERED: '0' })['PYTHONUNBUFFERED'], '1');
  });

  it('says who the script is when it runs as another user, unless the request says otherwise', () => {
    const identity = { name: 'builder', home: '/home/builder' };
    const env = buildChildEnvironment({ HOME: '/root', USER: 'root', LOGNAME: 'root' }, {}, identity);
    assert.deepEqual([env['HOME'], env['USER'], env['LOGNAME']], ['/home/builder', 'builder', 'builder']);
    assert.equal(buildChildEnvironment({ HOME: '/root' }, { HOME: '/tmp/h' }, identity)['HOME'], '/tmp/h');
  });

  it('does not modify its inputs', () => {
    const inherited = { A: '1' };
    buildChildEnvironment(inherited, { A: 'b' });
    assert.deepEqual(inherited, { A: '1' });
  });
});
