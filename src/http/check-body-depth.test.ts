// Unit tests of checkBodyDepth: what passes, what is refused, and the field it names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/app-error.js';
import { checkBodyDepth } from './check-body-depth.js';

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { b: value };
  return value;
}

describe('checkBodyDepth', () => {
  it('accepts scalars, flat bodies and nesting up to the bound', () => {
    checkBodyDepth(null);
    checkBodyDepth({ command: 'true', tags: ['a'] });
    checkBodyDepth(nested(4), 4);
  });

  it('refuses metadata nested 100,000 levels deep, naming the top-level field, without overflowing the stack', () => {
    const body = { command: 'true', metadata: nested(100_000) };
    assert.throws(
      () => checkBodyDepth(body),
      (error: unknown) => error instanceof AppError && error.code === 'validation_failed' && error.field === 'metadata',
    );
  });

  it('counts arrays as levels too', () => {
    assert.throws(
      () => checkBodyDepth({ a: [[[[1]]]] }, 4),
      (error: unknown) => error instanceof AppError && error.field === 'a',
    );
  });
});
