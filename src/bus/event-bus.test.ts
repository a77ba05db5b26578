import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventBus, type StepflowEvent } from './event-bus.js';

describe('createEventBus', () => {
  const event: StepflowEvent = { type: 'execution_deleted', execution_id: 7 };

  it('delivers each event to every listener in subscription order', () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.subscribe(() => seen.push('a'));
    bus.subscribe(() => seen.push('b'));
    bus.publish(event);
    assert.deepEqual(seen, ['a', 'b']);
  });

  it('stops delivering after unsubscribe', () => {
    const bus = createEventBus();
    let count = 0;
    const off = bus.subscribe(() => count++);
    bus.publish(event);
    off();
    bus.publish(event);
    assert.equal(count, 1);
    assert.equal(bus.listenerCount(), 0);
  });

  it('keeps delivering to others when a listener throws', () => {
    const errors: unknown[] = [];
    const bus = createEventBus((error) => errors.push(error));
    let reached = false;
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe(() => {
      reached = true;
    });
    bus.publish(event);
    assert.equal(reached, true);
    assert.equal(errors.length, 1);
  });
});
