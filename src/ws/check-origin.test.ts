// Unit tests of isOriginAllowed: same origin, configured origins, no origin, and what is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOriginAllowed } from './check-origin.js';

describe('isOriginAllowed', () => {
  it('accepts requests without an Origin header (non-browser clients)', () => {
    assert.equal(isOriginAllowed(undefined, 'localhost:8080', []), true);
  });

  it('accepts the same origin, comparing hosts case-insensitively with their ports', () => {
    assert.equal(isOriginAllowed('http://LocalHost:8080', 'localhost:8080', []), true);
    assert.equal(isOriginAllowed('https://ci.example.com', 'ci.example.com', []), true);
    assert.equal(isOriginAllowed('http://localhost:3000', 'localhost:8080', []), false);
  });

  it('accepts configured origins and refuses others, "null" and non-web schemes', () => {
    assert.equal(isOriginAllowed('http://127.0.0.1:3000', 'localhost:8080', ['http://127.0.0.1:3000']), true);
    assert.equal(isOriginAllowed('https://evil.example', 'localhost:8080', ['http://127.0.0.1:3000']), false);
    assert.equal(isOriginAllowed('null', 'localhost:8080', []), false);
    assert.equal(isOriginAllowed('file://localhost:8080', 'localhost:8080', []), false);
  });
});
