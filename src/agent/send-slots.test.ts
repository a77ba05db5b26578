import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SendSlots } from './send-slots.js';

describe('SendSlots', () => {
  it('lets `size` holders in at once and the waiting ones in the order they came', async () => {
    const slots = new SendSlots(2);
    const order: string[] = [];
    const a = await slots.take();
    const b = await slots.take();
    const c = slots.take().then((give) => (order.push('c'), give));
    const d = slots.take().then((give) => (order.push('d'), give));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, [], 'a third holder waits while two slots are taken');
    a();
    a(); // giving a slot back twice frees it once
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['c']);
    b();
    (await c)();
    (await d)();
    assert.deepEqual(order, ['c', 'd']);
    const e = await slots.take();
    const f = await slots.take();
    let third = false;
    void slots.take().then(() => (third = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false, 'every slot was given back once: two free again, not more');
    e();
    f();
  });
});
