// Unit tests for waiting on output: flushing waits for a slow stream's every write, and room is waited for only when needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { flushOutput, waitForRoom } from './flush-output.js';

/** A stream that takes each chunk a turn of the event loop later, like a pipe to a slow reader. */
function slowStream(fail?: Error): { stream: Writable; written: string[] } {
  const written: string[] = [];
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, done) {
      setImmediate(() => {
        if (fail && chunk.length > 0) return done(fail);
        written.push(chunk.toString());
        done();
      });
    },
  });
  return { stream, written };
}

describe('flushOutput', () => {
  it('resolves only once every earlier write has been taken', async () => {
    const { stream, written } = slowStream();
    for (let i = 0; i < 100; i++) stream.write(`line ${i}\n`);
    await flushOutput(stream);
    assert.equal(written.filter((text) => text !== '').length, 100);
  });

  it('rejects with the write error', async () => {
    const { stream } = slowStream(
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    );
    stream.on('error', () => undefined);
    stream.write('x');
    await assert.rejects(flushOutput(stream), { code: 'ENOSPC' });
  });
});

describe('waitForRoom', () => {
  it('is null while the stream has room', () => {
    assert.equal(waitForRoom(slowStream().stream), null);
  });

  it('resolves once a full stream has drained', async () => {
    const { stream, written } = slowStream();
    while (stream.write('0123456789')) {
      /* fill it past its high-water mark */
    }
    const room = waitForRoom(stream);
    assert.ok(room);
    await room;
    assert.equal(stream.writableNeedDrain, false);
    assert.ok(written.length >= 2);
  });
});
