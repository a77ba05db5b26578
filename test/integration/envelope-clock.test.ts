// Every REST and WebSocket envelope is stamped by the server's injected clock, never the wall clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestClock, startServer, type TestServer } from './harness.js';
import { connectWs } from './ws-test-client.js';

const YEAR_MS = 365 * 86_400_000;

describe('envelope timestamps follow the injected clock', () => {
  let server: TestServer;
  const clock = createTestClock();

  before(async () => {
    clock.advance(10 * YEAR_MS);
    server = await startServer({}, undefined, { clock });
  });
  after(async () => server.close());

  /** True when `stamp` is the test clock's time (within a minute), ten years from the wall clock. */
  function fromTestClock(stamp: string): boolean {
    return Math.abs(Date.parse(stamp) - clock.now()) < 60_000;
  }

  it('stamps success and error envelopes of REST responses', async () => {
    const listed = await server.request('GET', '/api/executions');
    assert.equal(listed.status, 200);
    assert.ok(fromTestClock(listed.body.timestamp), listed.body.timestamp);
    const missing = await server.request('GET', '/api/executions/999999');
    assert.equal(missing.status, 404);
    assert.ok(fromTestClock(missing.body.timestamp), missing.body.timestamp);
    const unknownRoute = await server.request('GET', '/api/no-such-route');
    assert.equal(unknownRoute.status, 404);
    assert.ok(fromTestClock(unknownRoute.body.timestamp), unknownRoute.body.timestamp);
    const invalid = await server.request('POST', '/api/executions', { command: 7 });
    assert.equal(invalid.status, 400);
    assert.ok(fromTestClock(invalid.body.timestamp), invalid.body.timestamp);
  });

  it('stamps WebSocket messages, errors included', async () => {
    const client = await connectWs(`${server.url.replace('http', 'ws')}/ws`);
    try {
      const hello = await client.waitFor('connection_established');
      assert.ok(fromTestClock(hello.timestamp), hello.timestamp);
      client.send('not json');
      const error = await client.waitFor('error');
      assert.ok(fromTestClock(error.timestamp), error.timestamp);
      assert.ok(fromTestClock(error.data.timestamp), error.data.timestamp);
    } finally {
      await client.close();
    }
  });
});
