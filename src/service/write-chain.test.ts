// Tests WriteChain: writes in order, errors reported without stopping the chain, and a turn of the event loop between bursts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteChain } from './write-chain.js';

describe('WriteChain', () => {
  it('runs writes in the order they were pushed, past a write that throws', async () => {
    const done: number[] = [];
    const errors: unknown[] = [];
    const chain = new WriteChain((error) => errors.push(error));
    for (let i = 0; i < 40; i++) {
      chain.push(async () => {
        if (i === 3) throw new Error('disk full');
        done.push(i);
      });
    }
    await chain.settled;
    assert.deepEqual(
      done,
      Array.from({ length: 40 }, (_, i) => i).filter((i) => i !== 3),
    );
    assert.deepEqual(
      errors.map((error) => (error as Error).message),
      ['disk full'],
    );
  });

  it('lets the event loop run between bursts of synchronous writes (regression: thousands of step writes held every request)', async () => {
    const order: string[] = [];
    const chain = new WriteChain(() => {});
    for (let i = 0; i < 100; i++) chain.push(async () => void order.push('write'));
    setImmediate(() => order.push('request'));
    await chain.settled;
    const waited = order.indexOf('request');
    assert.ok(
      waited >= 0 && waited <= 16,
      waited < 0 ? 'the request waited for all 100 writes' : `the request waited for ${waited} writes`,
    );
  });
});
