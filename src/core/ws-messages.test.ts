// Tests for the one decoder of server frames that every client of the live feed uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeServerMessage, messageExecutionId } from './ws-messages.js';

describe('decodeServerMessage', () => {
  it('reads a {type, data, timestamp} frame into the typed union', () => {
    const message = decodeServerMessage(
      JSON.stringify({ type: 'unsubscribed', data: { execution_id: '7' }, timestamp: '2026-01-01T00:00:00.000Z' }),
    );
    assert.equal(message?.type, 'unsubscribed');
    assert.equal(message && messageExecutionId(message), '7');
  });

  it('is null for frames that are not JSON objects with a string type and an object data', () => {
    for (const text of ['not json', '[1,2]', 'null', '{"data":{}}', '{"type":"pong"}', '{"type":"pong","data":"x"}'])
      assert.equal(decodeServerMessage(text), null, text);
  });
});

describe('messageExecutionId', () => {
  it('is null for connection-level messages and for errors about no execution', () => {
    const pong = decodeServerMessage(JSON.stringify({ type: 'pong', data: { server_time: 'now' }, timestamp: 'now' }));
    const error = decodeServerMessage(
      JSON.stringify({
        type: 'error',
        data: { execution_id: null, error_code: 'bad_message', error_message: 'x', timestamp: 'now' },
        timestamp: 'now',
      }),
    );
    assert.equal(pong && messageExecutionId(pong), null);
    assert.equal(error && messageExecutionId(error), null);
  });
});
