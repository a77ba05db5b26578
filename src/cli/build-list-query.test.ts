// Unit tests for the `list` flags: defaults, filters mapped to the API's names, and a usage error naming each bad flag.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildListQuery } from './build-list-query.js';

const defaults = { limit: '20', offset: '0' };

describe('buildListQuery', () => {
  it('maps --search to q and passes --tag, --status, --limit and --offset', () => {
    assert.deepEqual(
      buildListQuery({ ...defaults, status: 'failed', tag: 'nightly', search: 'deploy', limit: '5', offset: '10' }),
      { limit: 5, offset: 10, status: 'failed', tag: 'nightly', q: 'deploy' },
    );
  });

  it('leaves out the filters not given', () => {
    assert.deepEqual(buildListQuery(defaults), {
      limit: 20,
      offset: 0,
      status: undefined,
      tag: undefined,
      q: undefined,
    });
  });

  for (const [flags, message] of [
    [{ offset: '-1' }, /^--offset: "-1" must be a whole number from 0 to 1000000000$/],
    [{ offset: '1e3' }, /^--offset: /],
    [{ offset: '1000000001' }, /^--offset: /],
    [{ limit: '0' }, /^--limit: "0" must be a whole number from 1 to 1000$/],
    [{ status: 'done' }, /^--status: "done" is not one of /],
    [{ tag: ' ' }, /^--tag: must not be empty$/],
    [{ tag: 'x'.repeat(101) }, /^--tag: at most 100 characters$/],
    [{ search: 's'.repeat(501) }, /^--search: at most 500 characters$/],
  ] as const) {
    it(`refuses ${JSON.stringify(flags).slice(0, 40)} with a usage error naming the flag`, () => {
      assert.throws(
        () => buildListQuery({ ...defaults, ...flags }),
        (err: Error & { exitCode?: number }) => message.test(err.message) && err.exitCode === 2,
      );
    });
  }
});
