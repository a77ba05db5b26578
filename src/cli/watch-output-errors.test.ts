// Unit tests for failed writes: a closed pipe exits 141 without a word, any other failure is one stderr line and exit 1.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describeOutputError, exitCodeForOutputError, watchOutputErrors } from './watch-output-errors.js';

const failure = (code: string, message: string): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

function watched() {
  const stdout = new EventEmitter();
  const written: string[] = [];
  const stderr = Object.assign(new EventEmitter(), {
    write: (text: string, done?: () => void) => {
      written.push(text);
      done?.();
      return true;
    },
  });
  const exits: number[] = [];
  const exit = (code: number): void => void exits.push(code);
  watchOutputErrors({ stdout, stderr, exit } as unknown as Parameters<typeof watchOutputErrors>[0]);
  return { stdout, stderr, written, exits };
}

describe('watchOutputErrors', () => {
  it('exits 141 and says nothing when the reader closed the pipe', () => {
    const { stdout, written, exits } = watched();
    stdout.emit('error', failure('EPIPE', 'write EPIPE'));
    assert.deepEqual(exits, [141]);
    assert.deepEqual(written, []);
  });

  it('prints one line and exits 1 when stdout cannot be written otherwise', () => {
    const { stdout, written, exits } = watched();
    stdout.emit('error', failure('ENOSPC', 'ENOSPC: no space left on device, write'));
    assert.deepEqual(written, ['stepflow: cannot write to stdout: no space left on device (ENOSPC)\n']);
    assert.deepEqual(exits, [1]);
  });

  it('acts on the first failure only, and never writes to a failed stderr', () => {
    const { stdout, stderr, written, exits } = watched();
    stderr.emit('error', failure('EIO', 'EIO: i/o error, write'));
    stdout.emit('error', failure('EPIPE', 'write EPIPE'));
    assert.deepEqual(written, []);
    assert.deepEqual(exits, [1]);
  });
});

describe('exitCodeForOutputError', () => {
  it('is 141 for EPIPE and 1 for anything else', () => {
    assert.equal(exitCodeForOutputError(failure('EPIPE', 'write EPIPE')), 141);
    assert.equal(exitCodeForOutputError(new Error('odd')), 1);
    assert.equal(exitCodeForOutputError(undefined), 1);
  });
});

describe('describeOutputError', () => {
  it('keeps the system words and the code', () => {
    assert.equal(describeOutputError(failure('EIO', 'EIO: i/o error, write')), 'i/o error (EIO)');
    assert.equal(describeOutputError(new Error('stream destroyed')), 'stream destroyed');
  });
});
