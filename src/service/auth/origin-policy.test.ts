// Unit tests of the Host and Origin guards: host names, same origin with scheme, configured origins, the dashboard's own origin.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOriginPolicy, hostNameOf, schemeOf } from './origin-policy.js';

const policy = createOriginPolicy({
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  ownNames: [],
  allowedOrigins: ['https://ci.example.com'],
  httpPort: () => 8080,
});
const http = (host: string) => ({ host, scheme: 'http' as const });

describe('hostNameOf', () => {
  it('drops the port, keeps IPv6 brackets, lower-cases and drops a trailing dot', () => {
    assert.equal(hostNameOf('LocalHost:8080'), 'localhost');
    assert.equal(hostNameOf('[::1]:8080'), '[::1]');
    assert.equal(hostNameOf('example.com.'), 'example.com');
  });
});

describe('schemeOf', () => {
  it('is https on TLS or behind a TLS proxy, else http', () => {
    assert.equal(schemeOf(true, undefined), 'https');
    assert.equal(schemeOf(false, 'https, http'), 'https');
    assert.equal(schemeOf(false, undefined), 'http');
  });
});

describe('createOriginPolicy', () => {
  it('accepts only the listed Host names, and any when the check is off or lists *', () => {
    assert.equal(policy.isHostAllowed('127.0.0.1:8080'), true);
    assert.equal(policy.isHostAllowed('evil.example:8080'), false);
    assert.equal(policy.isHostAllowed(undefined), false);
    assert.equal(
      createOriginPolicy({ allowedHosts: null, ownNames: [], allowedOrigins: [], httpPort: () => null }).isHostAllowed(
        'any',
      ),
      true,
    );
    assert.equal(
      createOriginPolicy({ allowedHosts: ['*'], ownNames: [], allowedOrigins: [], httpPort: () => null }).isHostAllowed(
        'any',
      ),
      true,
    );
  });

  it('accepts no Origin, the same origin over the same scheme, and configured origins', () => {
    assert.equal(policy.isOriginAllowed(undefined, http('localhost:8080')), true);
    assert.equal(policy.isOriginAllowed('http://LocalHost:8080', http('localhost:8080')), true);
    assert.equal(policy.isOriginAllowed('https://ci.example.com', http('localhost:8080')), true);
  });

  it('refuses another scheme on our host, other sites, "null" and non-web schemes', () => {
    assert.equal(policy.isOriginAllowed('https://localhost:8080', http('localhost:8080')), false);
    assert.equal(policy.isOriginAllowed('http://evil.example', http('localhost:8080')), false);
    assert.equal(policy.isOriginAllowed('null', http('localhost:8080')), false);
    assert.equal(policy.isOriginAllowed('file://localhost:8080', http('localhost:8080')), false);
  });

  it("accepts the dashboard's own HTTP origin on the standalone WebSocket port, not another port of ours", () => {
    assert.equal(policy.isOriginAllowed('http://localhost:8080', http('localhost:8765')), true);
    assert.equal(policy.isOriginAllowed('http://localhost:3000', http('localhost:8765')), false);
  });
});
