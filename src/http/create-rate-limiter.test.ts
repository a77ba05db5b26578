// Tests createRateLimiter: bursts up to the allowance, Retry-After seconds, refill, and separate identities.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from './create-rate-limiter.js';

describe('createRateLimiter', () => {
  it('allows a burst of the per-minute allowance, then answers the seconds until the next token', () => {
    let time = 0;
    const limiter = createRateLimiter(3, () => time);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 20);
    time += 20_000;
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), 20);
  });

  it('keeps identities apart', () => {
    const limiter = createRateLimiter(1, () => 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('b'), 0);
    assert.ok(limiter.take('a') > 0);
  });
});

describe('RateLimiter.wait', () => {
  it('tells how long until a token without taking one', () => {
    let now = 0;
    const limiter = createRateLimiter(1, () => now);
    assert.equal(limiter.wait('a'), 0);
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.wait('a'), 60);
    assert.equal(limiter.wait('a'), 60, 'waiting takes nothing');
    now = 60_000;
    assert.equal(limiter.wait('a'), 0);
  });
});
