// Unit tests for the agent's spool: batches on disk until acknowledged, and the full / drained signal that pauses scripts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BatchSpool } from './batch-spool.js';

describe('BatchSpool', () => {
  it('keeps each batch on disk until it is dropped, and reads it back unchanged', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool');
    const spool = new BatchSpool(dir, 1_000_000);
    spool.put('7', 1, '{"seq":1}');
    spool.put('7', 2, '{"seq":2}');
    assert.equal(spool.get('7', 2), '{"seq":2}');
    assert.equal(readdirSync(join(dir, '7')).length, 2);
    spool.drop('7', 1);
    assert.deepEqual(readdirSync(join(dir, '7')), ['000000000002.json']);
    spool.dropAll('7');
    assert.equal(existsSync(join(dir, '7')), false);
    assert.equal(spool.usedBytes, 0);
  });

  it('is full past its limit until it drains to half of it, and says so once each way', () => {
    const spool = new BatchSpool(join(mkdtempSync(join(tmpdir(), 'spool-')), 'spool'), 100);
    const told: boolean[] = [];
    spool.onChange((full) => told.push(full));
    for (let seq = 1; seq <= 4; seq++) spool.put('1', seq, 'x'.repeat(30));
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
