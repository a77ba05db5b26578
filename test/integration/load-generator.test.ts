// The benchmark's HTTP load generator (bench/lib/run-load.ts) against a constant server: shares in worker processes merge into one result.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runLoad, type LoadRequest } from '../../bench/lib/run-load.js';
import { waitForListening } from './server-process.js';

const REQUESTS: LoadRequest[] = [
  { kind: 'get', method: 'GET', path: '/' },
  { kind: 'post', method: 'POST', path: '/', body: '{"a":1}' },
  { kind: 'missing', method: 'GET', path: '/missing' },
];

describe('runLoad', () => {
  let server: ChildProcess;
  let url = '';
  before(async () => {
    server = spawn(process.execPath, [resolve(import.meta.dirname, '../../bench/fixtures/constant-server.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await waitForListening(server);
  });
  after(() => void server.kill('SIGTERM'));

  for (const workers of [1, 2]) {
    it(`cycles through the requests and adds up every count with ${workers} process(es)`, async () => {
      const load = await runLoad(url, 5, 1, REQUESTS, { workers });
      assert.equal(load.connections, 5);
      assert.equal(load.perSecond.length, 1);
      assert.ok(load.latenciesMs.length > 10, `only ${load.latenciesMs.length} requests answered`);
      assert.equal(load.requests, load.latenciesMs.length + load.errors);
      assert.equal(
        (load.byKind.get ?? 0) + (load.byKind.post ?? 0),
        load.latenciesMs.length,
        'only successes are counted by kind',
      );
      assert.ok(Math.abs((load.byKind.get ?? 0) - (load.byKind.post ?? 0)) <= 5 * workers, JSON.stringify(load.byKind));
      assert.ok(load.errors > 0 && load.errorSamples.length === Math.min(5, load.errors));
      assert.match(load.errorSamples[0] ?? '', /^GET \/missing: 404$/);
      assert.ok(load.perSecond[0]! <= load.latenciesMs.length);
    });
  }

  it('refuses a load that is not on loopback or not bounded', async () => {
    await assert.rejects(runLoad('http://stepflow.invalid:80', 1, 1, REQUESTS), /loopback only/);
    await assert.rejects(runLoad(url, 1, 31, REQUESTS), /at most 30/);
    await assert.rejects(runLoad(url, 1001, 1, REQUESTS), /1-1000/);
    await assert.rejects(runLoad(url, 1, 1, REQUESTS, { workers: 17 }), /1-16/);
  });
});
