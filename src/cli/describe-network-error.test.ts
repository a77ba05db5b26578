// Tests that the CLI reads a connection failure's errno code wherever fetch and ws put it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNetworkError } from './api-client.js';

const failure = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });

describe('describeNetworkError', () => {
  it('reads the code on the error itself (ws)', () => {
    assert.equal(describeNetworkError(failure('ECONNREFUSED')), 'connection refused');
  });

  it("reads the code on fetch's cause", () => {
    assert.equal(describeNetworkError(new TypeError('fetch failed', { cause: failure('ENOTFOUND') })), 'unknown host');
  });

  it('reads the first code of an AggregateError cause (IPv4 and IPv6 both refused)', () => {
    const cause = new AggregateError([failure('ECONNREFUSED'), failure('ECONNREFUSED')], 'all failed');
    assert.equal(describeNetworkError(new TypeError('fetch failed', { cause })), 'connection refused');
  });

  it("falls back to the cause's words when there is no code", () => {
    assert.equal(
      describeNetworkError(new TypeError('fetch failed', { cause: new Error('other side hung up') })),
      'other side hung up',
    );
  });
});
