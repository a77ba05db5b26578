// Unit tests of the background CPU sampler and the on-demand memory, load and disk figures.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { createSystemSampler } from './system-sampler.js';

describe('createSystemSampler', () => {
  it('gives null CPU figures until the first background sample, then percentages', async () => {
    const sampler = createSystemSampler({ diskPath: tmpdir(), intervalMs: 50 });
    try {
      const first = await sampler.read();
      assert.equal(first.cpu_percent, null);
      assert.equal(first.process_cpu_percent, null);
      let later = await sampler.read();
      for (let tries = 0; later.cpu_percent === null && tries < 1000; tries++) {
        await sleep(20);
        later = await sampler.read();
      }
      assert.ok(
        later.cpu_percent !== null && later.cpu_percent >= 0 && later.cpu_percent <= 100,
        `cpu_percent ${later.cpu_percent}`,
      );
      assert.ok(later.process_cpu_percent !== null && later.process_cpu_percent >= 0);
      assert.ok(later.cpu_sample_seconds !== null && later.cpu_sample_seconds > 0);
    } finally {
      sampler.stop();
    }
  });

  it('reads memory, load and the disk of the given path without waiting for a sample', async () => {
    const sampler = createSystemSampler({ diskPath: tmpdir() });
    sampler.stop();
    const figures = await sampler.read();
    assert.ok(figures.memory_percent > 0 && figures.memory_percent <= 100);
    assert.ok(
      figures.disk_usage_percent !== null && figures.disk_usage_percent >= 0 && figures.disk_usage_percent <= 100,
    );
    assert.equal(figures.load_average.length, 3);
    assert.ok(figures.cpu_count > 0);
  });

  it('reports null disk figures for a path that does not exist', async () => {
    const sampler = createSystemSampler({ diskPath: '/no/such/stepflow/dir' });
    sampler.stop();
    const figures = await sampler.read();
    assert.deepEqual(
      [figures.disk_usage_percent, figures.disk_total_bytes, figures.disk_free_bytes],
      [null, null, null],
    );
  });
});
