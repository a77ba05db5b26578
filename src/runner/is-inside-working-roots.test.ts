// Unit tests for isInsideWorkingRoots.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isInsideWorkingRoots } from './is-inside-working-roots.js';

describe('isInsideWorkingRoots', () => {
  it('allows everything when there are no roots', () => {
    assert.equal(isInsideWorkingRoots('/etc', []), true);
  });

  it('allows a root itself and anything below it', () => {
    assert.equal(isInsideWorkingRoots('/srv/builds', ['/srv/builds']), true);
    assert.equal(isInsideWorkingRoots('/srv/builds/a/b', ['/data', '/srv/builds']), true);
  });

  it('refuses a sibling that merely shares the prefix, a parent, and another tree', () => {
    assert.equal(isInsideWorkingRoots('/srv/builds-old', ['/srv/builds']), false);
    assert.equal(isInsideWorkingRoots('/srv', ['/srv/builds']), false);
    assert.equal(isInsideWorkingRoots('/etc', ['/srv/builds']), false);
  });

  it('allows a directory whose name starts with two dots', () => {
    assert.equal(isInsideWorkingRoots('/srv/builds/..cache', ['/srv/builds']), true);
  });
});
