// Unit tests for the agent's spool: batches in memory then on disk until acknowledged, and the full / drained signal that pauses scripts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BatchSpool } from './batch-spool.js';

describe('BatchSpool', () => {
  it('keeps batches in memory up to a quarter of its limit, the next ones on disk, until dropped; reads each back unchanged', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool');
    // A limit of 80 bytes: 20 in memory, room for two 9-byte batches.
    const spool = new BatchSpool(dir, 80);
    for (let seq = 1; seq <= 4; seq++) spool.put('7', seq, Buffer.from(`{"seq":${seq}}`));
    assert.equal(spool.memoryUsedBytes, 18);
    assert.deepEqual(readdirSync(join(dir, '7')), ['000000000003.json', '000000000004.json']);
    assert.deepEqual(
      [1, 2, 3, 4].map((seq) => spool.get('7', seq).toString()),
      ['{"seq":1}', '{"seq":2}', '{"seq":3}', '{"seq":4}'],
    );
    spool.drop('7', 1);
    spool.drop('7', 3);
    assert.deepEqual(readdirSync(join(dir, '7')), ['000000000004.json']);
    assert.equal(spool.memoryUsedBytes, 9);
    assert.equal(spool.usedBytes, 18);
    spool.put('7', 5, Buffer.from('{"seq":5}'));
    assert.equal(spool.memoryUsedBytes, 18, 'room freed in memory is used again');
    spool.dropAll('7');
    assert.equal(existsSync(join(dir, '7')), false);
    assert.equal(spool.usedBytes, 0);
    assert.equal(spool.memoryUsedBytes, 0);
  });

  it('is full past its limit until it drains to half of it, and says so once each way', () => {
    const spool = new BatchSpool(join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool'), 100);
    const told: boolean[] = [];
    spool.onChange((full) => told.push(full));
    for (let seq = 1; seq <= 4; seq++) spool.put('1', seq, Buffer.from('x'.repeat(30)));
    assert.equal(spool.full, true, '120 bytes > 100');
    spool.drop('1', 1);
    assert.equal(spool.full, true, '90 bytes: still above half the limit');
    spool.drop('1', 2);
    assert.equal(spool.full, true, '60 bytes: still above half (50)');
    spool.drop('1', 3);
    assert.equal(spool.full, false, '30 bytes: drained');
    assert.deepEqual(told, [true, false]);
  });
});
