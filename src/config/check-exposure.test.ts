// Tests checkExposure: loopback is fine, a public bind without auth is refused unless explicitly allowed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExposure } from './check-exposure.js';

const base = {
  host: '127.0.0.1',
  websocketHost: '127.0.0.1',
  websocketPort: 8765,
  authEnabled: false,
  allowUnauthenticated: false,
};

describe('checkExposure', () => {
  it('accepts loopback binds with auth off', () => {
    assert.deepEqual(checkExposure({ ...base, host: '::1', websocketHost: 'localhost' }), {
      refusal: null,
      warnings: [],
    });
  });

  it('refuses 0.0.0.0 with auth off, and warns instead when allowed', () => {
    assert.match(
      checkExposure({ ...base, host: '0.0.0.0', websocketHost: '0.0.0.0' }).refusal ?? '',
      /^refusing to bind 0\.0\.0\.0 without authentication/,
    );
    const allowed = checkExposure({ ...base, host: '0.0.0.0', allowUnauthenticated: true });
    assert.equal(allowed.refusal, null);
    assert.match(allowed.warnings[0] ?? '', /WITHOUT authentication/);
  });

  it('ignores the WebSocket host when its port is off, and anything when auth is on', () => {
    assert.equal(checkExposure({ ...base, websocketHost: '0.0.0.0', websocketPort: 0 }).refusal, null);
    assert.equal(checkExposure({ ...base, host: '0.0.0.0', authEnabled: true }).refusal, null);
  });
});
