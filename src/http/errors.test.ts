// Tests that converting a thrown error to the API's AppError keeps the original as its cause.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/app-error.js';
import { toAppError } from './errors.js';

describe('toAppError', () => {
  it('keeps a storage failure as the cause of insufficient_storage', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const converted = toAppError(full);
    assert.equal(converted.code, 'insufficient_storage');
    assert.equal(converted.cause, full);
  });

  it('keeps an unexpected error as the cause of internal_error, without showing its words', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const converted = toAppError(bug);
    assert.deepEqual(
      { code: converted.code, message: converted.message },
      { code: 'internal_error', message: 'internal server error' },
    );
    assert.equal(converted.cause, bug);
  });

  it('passes an AppError through as it is', () => {
    const original = new AppError('execution_not_found', 'execution 7 not found', 'id');
    assert.equal(toAppError(original), original);
  });
});
