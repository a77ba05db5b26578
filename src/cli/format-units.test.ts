// Unit tests for durations, sizes and times as the CLI writes them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatDuration, formatLocalTime } from './format-units.js';

describe('formatDuration', () => {
  it('uses more precision for short runs and minutes/hours for long ones', () => {
    assert.deepEqual([0.123, 9.999, 12.34, 65, 3599, 3725].map(formatDuration), [
      '0.12s',
      '10.0s',
      '12.3s',
      '1m 05s',
      '59m 59s',
      '1h 02m',
    ]);
  });

  it('writes "-" for unknown durations', () => {
    assert.deepEqual([null, undefined, Number.NaN, -1].map(formatDuration), ['-', '-', '-', '-']);
  });
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    assert.deepEqual([0, 1023, 1536, 3 * 1024 ** 2, 1.25 * 1024 ** 3].map(formatBytes), [
      '0 B',
      '1023 B',
      '1.5 KiB',
      '3.0 MiB',
      '1.3 GiB',
    ]);
  });
});

describe('formatLocalTime', () => {
  it('writes local date and time, and "-" for none', () => {
    const iso = '2026-01-02T03:04:05.000Z';
    const d = new Date(iso);
    const two = (n: number): string => String(n).padStart(2, '0');
    assert.equal(
      formatLocalTime(iso),
      `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`,
    );
    assert.equal(formatLocalTime(null), '-');
    assert.equal(formatLocalTime('not a time'), '-');
  });
});
