// Unit tests for the CLI exit code that mirrors an execution.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor } from './exit-code-for.js';

describe('exitCodeFor', () => {
  it('mirrors the execution exit code', () => {
    assert.equal(exitCodeFor({ status: 'completed', exit_code: 0 }), 0);
    assert.equal(exitCodeFor({ status: 'failed', exit_code: 3 }), 3);
  });

  it('exits 1 for a failure without a usable exit code', () => {
    assert.equal(exitCodeFor({ status: 'failed', exit_code: null }), 1);
    assert.equal(exitCodeFor({ status: 'failed', exit_code: 0 }), 1);
    assert.equal(exitCodeFor({ status: 'failed', exit_code: -15 }), 1);
  });

  it('exits 130 for cancelled, like an interrupted command', () => {
    assert.equal(exitCodeFor({ status: 'cancelled', exit_code: 143 }), 130);
  });

  it('exits 1 for an execution that has not ended', () => {
    assert.equal(exitCodeFor({ status: 'running', exit_code: null }), 1);
  });
});
