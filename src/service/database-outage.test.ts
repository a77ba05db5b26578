import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../core/clock.js';
import { createDatabaseOutage, isDatabaseUnavailable } from './database-outage.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('isDatabaseUnavailable', () => {
  it('knows refused, cut and restarting databases from bad requests', () => {
    const coded = (code: string): Error => Object.assign(new Error(code), { code });
    assert.ok(isDatabaseUnavailable(coded('ECONNREFUSED')));
    assert.ok(isDatabaseUnavailable(coded('57P01')));
    assert.ok(isDatabaseUnavailable(coded('08006')));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new AggregateError([coded('ECONNREFUSED')])));
    assert.ok(!isDatabaseUnavailable(coded('23505')));
    assert.ok(!isDatabaseUnavailable(coded('SQLITE_FULL')));
    assert.ok(!isDatabaseUnavailable(new Error('syntax error at or near "SELEC"')));
  });
});

describe('createDatabaseOutage', () => {
  it('retries while the database does not answer, reports the problem meanwhile, and clears it', async () => {
    const outage = createDatabaseOutage({ clock: systemClock, logger: quiet, retryMs: 1 });
    const seen: (string | null)[] = [];
    const result = await outage.retry(async (attempt) => {
      seen.push(outage.problem());
      if (attempt < 2) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return attempt;
    });
    assert.equal(result, 2);
    assert.equal(seen[0], null);
    assert.match(seen[1] ?? '', /^the database does not answer since .*: connect ECONNREFUSED$/);
    assert.equal(outage.problem(), null);
  });

  it('fails other errors at once, and waiting writes once given up (shutdown)', async () => {
    const outage = createDatabaseOutage({ clock: systemClock, logger: quiet, retryMs: 60_000 });
    await assert.rejects(
      outage.retry(async () => {
        throw new Error('duplicate key');
      }),
      /duplicate key/,
    );
    const waiting = outage.retry(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    setImmediate(() => outage.giveUp());
    await assert.rejects(waiting, /ECONNREFUSED/);
  });
});
