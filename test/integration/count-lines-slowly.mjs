// A deliberately slow pipe reader for the CLI's pipe tests: reads stdin 1 KiB per millisecond, then prints
// {"lines": N, "last": [the last 6 lines]} so a test can check that nothing, and especially not the end, was lost.
import { readSync } from 'node:fs';

const buffer = Buffer.alloc(1024);
// Atomics.wait is a plain blocking pause: the reader must hold the writer back, not poll.
const pause = new Int32Array(new SharedArrayBuffer(4));
let lines = 0;
let tail = '';
for (;;) {
  let size;
  try {
    size = readSync(0, buffer, 0, buffer.length, null);
  } catch (err) {
    if (err.code !== 'EAGAIN') throw err;
    Atomics.wait(pause, 0, 0, 1);
    continue;
  }
  if (size === 0) break;
  const text = buffer.toString('utf8', 0, size);
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines += 1;
  tail = (tail + text).slice(-2000);
  Atomics.wait(pause, 0, 0, 1);
}
process.stdout.write(`${JSON.stringify({ lines, last: tail.split('\n').slice(-7, -1) })}\n`);
