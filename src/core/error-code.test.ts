import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from './error-code.js';

describe('errorCode', () => {
  it('reads the errno name Node puts on a system error', () => {
    const error = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    assert.equal(errorCode(error), 'ENOSPC');
  });

  it('is undefined for values without a string code', () => {
    for (const value of [null, undefined, 'ENOSPC', 42, new Error('plain'), { code: 28 }])
      assert.equal(errorCode(value), undefined);
  });
});
