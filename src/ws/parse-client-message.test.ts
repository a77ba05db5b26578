// Unit tests of parseClientMessage: both field placements, defaults and every refusal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClientMessage } from './parse-client-message.js';

describe('parseClientMessage', () => {
  it('reads fields inside data and at the top level', () => {
    assert.deepEqual(parseClientMessage('{"type":"subscribe","data":{"execution_id":4,"from_line":0,"batch":true}}'), {
      ok: true,
      message: { type: 'subscribe', execution_id: 4, from_line: 0, batch: true },
    });
    assert.deepEqual(parseClientMessage('{"type":"subscribe","execution_id":"4"}'), {
      ok: true,
      message: { type: 'subscribe', execution_id: 4, from_line: null, batch: false },
    });
    assert.deepEqual(parseClientMessage('{"type":"unsubscribe","execution_id":9}'), {
      ok: true,
      message: { type: 'unsubscribe', execution_id: 9 },
    });
  });

  it('makes execution_id optional for get_status only', () => {
    assert.deepEqual(parseClientMessage('{"type":"get_status"}'), {
      ok: true,
      message: { type: 'get_status', execution_id: null },
    });
    assert.equal(parseClientMessage('{"type":"get_status","data":{"execution_id":-1}}').ok, false);
    assert.equal(parseClientMessage('{"type":"unsubscribe"}').ok, false);
  });

  it('refuses non-JSON, non-objects, a missing type, unknown types and bad options', () => {
    for (const text of [
      'nope',
      '[]',
      '"ping"',
      '{"data":{}}',
      '{"type":"launch"}',
      '{"type":"subscribe","execution_id":1,"from_line":1.5}',
      '{"type":"subscribe","execution_id":1,"batch":"yes"}',
      '{"type":"subscribe","execution_id":0}',
    ]) {
      assert.equal(parseClientMessage(text).ok, false, text);
    }
  });

  it('keeps the execution id of a refused subscribe for the error message', () => {
    assert.deepEqual(parseClientMessage('{"type":"subscribe","execution_id":3,"from_line":-2}'), {
      ok: false,
      error: 'from_line must be an integer >= 0',
      executionId: 3,
    });
  });
});
