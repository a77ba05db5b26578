// Property: however a route's path is spelled (random case, escapes, slashes, dot segments, absolute form), access follows the matched route's rule.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ROUTE_ACCESS } from '../../src/http/route-access.js';
import { fuzzSettings } from '../fuzz-settings.js';
import type { TestServer } from './harness.js';
import { rawRequest } from './raw-request.js';
import { concretePath, judgeAccess, startAuthServer, type Caller } from './route-spellings.js';

const ADMIN = 'admin-key-for-spelling-fuzz-0123456789';
// CI runs a fixed seed; `npm run bench -- --fuzz` sets more runs and a fresh seed (printed for reproduction).
// Each run is an HTTP request, far heavier than a parser call, so the fuzz gives this property a tenth of its runs.
const { numRuns: RUNS, seed: SEED } = fuzzSettings(300, 0.1);

/** One way of re-spelling a path character by character. */
const charSpelling = fc.constantFrom('same', 'upper', 'escape', 'escape-upper', 'double-slash', 'backslash');

function respellChar(char: string, how: string): string {
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
  if (how === 'upper') return char.toUpperCase();
  if (how === 'escape') return `%${hex}`;
  if (how === 'escape-upper') return `%${hex.toUpperCase()}`;
  if (how === 'double-slash' && char === '/') return '//';
  if (how === 'backslash' && char === '/') return '\\';
  return char;
}

const spelledRoute = fc.record({
  route: fc.constantFrom(...Object.keys(ROUTE_ACCESS)),
  chars: fc.array(charSpelling, { minLength: 40, maxLength: 40 }),
  prefix: fc.constantFrom('', '/.', '/x/..', 'http://evil.example', '//'),
  suffix: fc.constantFrom('', '/', '?a=1', '%2F', '/.', ';x'),
  caller: fc.nat({ max: 3 }),
});

describe('access control under random spellings (fast-check)', () => {
  let server: TestServer;
  let callers: Caller[] = [];
  before(async () => {
    ({ server, callers } = await startAuthServer(ADMIN));
  });
  after(() => server.close());

  it(`never serves a route to a caller its rule refuses (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(spelledRoute, async ({ route, chars, prefix, suffix, caller }) => {
        const [method, pattern] = route.split(' ') as [string, string];
        // The first slash stays: a request target must start with one (or be absolute-form).
        const path = [...concretePath(pattern)]
          .map((char, i) => (i === 0 ? char : respellChar(char, chars[i % chars.length]!)))
          .join('');
        const target = `${prefix}${path}${suffix}`;
        const who = callers[caller]!;
        // Bodies are left out: a create that passes access fails validation, so the fuzz runs no command.
        const response = await rawRequest(server.app.port, method, target, who.headers);
        const problem = judgeAccess(method, ROUTE_ACCESS[route]!.role, who, response);
        assert.equal(problem, null, `${method} ${target}: ${problem}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
