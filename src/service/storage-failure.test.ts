import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../core/app-error.js';
import { describeStorageFailure, guardStorageWrite, isStorageFailure, isStorageFull } from './storage-failure.js';

const failure = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('isStorageFailure', () => {
  it('recognises full disks and I/O errors, not bugs', () => {
    assert.equal(isStorageFailure(failure('SQLITE_FULL', 'database or disk is full')), true);
    assert.equal(isStorageFailure(failure('SQLITE_IOERR_WRITE', 'disk I/O error')), true);
    assert.equal(isStorageFailure(failure('EIO', 'i/o error')), true);
    assert.equal(isStorageFailure(new TypeError('a bug')), false);
    assert.equal(isStorageFailure(failure('SQLITE_CONSTRAINT', 'constraint failed')), false);
  });
});

describe('isStorageFull', () => {
  it('is true only for errors that freeing space fixes', () => {
    for (const code of ['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])
      assert.equal(isStorageFull(failure(code, 'full')), true, code);
    for (const code of ['SQLITE_IOERR', 'EIO', 'EROFS'])
      assert.equal(isStorageFull(failure(code, 'broken')), false, code);
  });
});

describe('describeStorageFailure', () => {
  it('says "storage full" for a full disk and names what was lost', () => {
    assert.equal(
      describeStorageFailure(failure('SQLITE_FULL', 'database or disk is full')),
      'storage full: database or disk is full',
    );
    assert.equal(
      describeStorageFailure(
        failure('ENOSPC', 'ENOSPC: no space left on device, write'),
        'artifact "a" could not be stored',
      ),
      'storage full: artifact "a" could not be stored: ENOSPC: no space left on device, write',
    );
    assert.equal(describeStorageFailure(failure('EIO', 'i/o error')), 'storage error: i/o error');
  });
});

describe('guardStorageWrite', () => {
  it('turns a storage failure into storage_unavailable that keeps the original as its cause, and reports it', async () => {
    const reported: unknown[] = [];
    const error = failure('SQLITE_FULL', 'database or disk is full');
    await assert.rejects(
      guardStorageWrite(
        async () => Promise.reject(error),
        (cause) => reported.push(cause),
      ),
      (thrown: unknown) =>
        thrown instanceof AppError && thrown.code === 'storage_unavailable' && thrown.cause === error,
    );
    assert.deepEqual(reported, [error]);
  });

  it('lets other errors through untouched', async () => {
    const bug = new TypeError('a bug');
    await assert.rejects(
      guardStorageWrite(async () => Promise.reject(bug)),
      bug,
    );
  });
});
