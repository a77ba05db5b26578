// Owns reading a script's stdout and stderr into lines, so that a MASK (or add-mask, setsecret) on one stream covers what is printed after it on the other.
import type { Readable } from 'node:stream';
import { OutputBatcher } from './output-batcher.js';
import { readHeldOutput, streamFd } from './read-held-output.js';
import { createLineSplitter } from './split-lines.js';
import type { LineSplitter } from './split-lines.js';

/** Which stream a line came from. */
export type OutputName = 'stdout' | 'stderr';

/** What the outputs tell their run; every call is made inside `guard`. */
export interface ScriptOutputEvents {
  /** A batch's lines are about to be delivered: the time they are stamped with starts now. */
  beforeBatch(): void;
  /** A line that may be a MASK marker, read in a batch with lines of the other stream: register its value now. */
  maskAhead(content: string): void;
  line(stream: OutputName, content: string, continuation: boolean): void;
  /** Some of a batch's lines were delivered (a good moment to hand effects on). */
  afterBatch(): void;
  /** One stream closed; `allClosed` says whether it was the last. */
  closed(): void;
  /** Runs a handler so that nothing escapes into the event loop. */
  guard(handler: () => void): void;
}

interface Output {
  stream: Readable;
  splitter: LineSplitter;
  closed: boolean;
}

interface PendingLine {
  stream: OutputName;
  content: string;
  continuation: boolean;
}

/** Reads what one stream holds right now into `onChunk`, at most `limit` bytes; returns how many. */
export type ReadHeld = (limit: number, onChunk: (chunk: Buffer) => void) => number;

/** The real reader: the stream's buffer, then its pipe's descriptor without blocking. */
function readHeldFrom(stream: Readable): ReadHeld {
  const fd = streamFd(stream);
  return (limit, onChunk) => readHeldOutput(stream, fd, limit, onChunk);
}

const LINES_PER_SLICE = 4096;

/** Azure logging commands are case-insensitive (`##vso[task.setSecret]`). */
const AZURE_COMMAND = /##vso\[/i;

/** Cheap pre-filter for masking markers (MASK, ::add-mask::, Azure task.setsecret) in any marker mode; the engine decides what really is one. */
function mayBeMask(line: PendingLine): boolean {
  if (line.continuation) return false;
  const { content } = line;
  return (
    content.includes('MASK') || content.includes('add-mask') || (content.includes('##') && AZURE_COMMAND.test(content))
  );
}

/**
 * Watches both streams and reads them in batches (see output-batcher.ts). A batch of one stream
 * is split and delivered as read. A batch with both streams first registers the value of every
 * MASK line in it, then delivers its lines: a value is then masked on both streams from the batch
 * its MASK line was read in, which may be a few lines before that line was printed, never after.
 */
export class ScriptOutputs {
  private readonly outputs: Output[];
  private readonly batcher: OutputBatcher;
  /** The current batch: chunks (null: the stream ended) in the order they were read. */
  private chunks: Array<[number, Buffer | null]> = [];
  /** Where the splitters put lines while a mixed batch is split; null: straight to the run. */
  private collected: PendingLine[] | null = null;
  private stopped = false;
  private paused = false;

  /** `readHeld` is how a stream's held bytes are read (tests inject the arrival order through it). */
  constructor(
    stdout: Readable,
    stderr: Readable,
    private readonly events: ScriptOutputEvents,
    readHeld: (stream: Readable) => ReadHeld = readHeldFrom,
  ) {
    this.batcher = new OutputBatcher(
      (index, chunk) => this.chunks.push([index, chunk]),
      () => this.deliverBatch(),
    );
    this.outputs = [this.watch(stdout, 'stdout', readHeld(stdout)), this.watch(stderr, 'stderr', readHeld(stderr))];
  }

  /** True once both streams have closed (or were closed by `closeAll`). */
  get allClosed(): boolean {
    return this.outputs.every((output) => output.closed);
  }

  /** Stops reading: destroys the streams still open and delivers their last partial lines. */
  closeAll(): void {
    for (const output of this.outputs) {
      if (output.closed) continue;
      output.closed = true;
      output.stream.destroy();
      output.splitter.end();
    }
    this.stopped = true;
  }

  /** Stops (true) or restarts reading both streams: the consumer's back-pressure; nothing is read ahead while paused. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    for (const output of this.outputs) {
      if (paused) output.stream.pause();
      else output.stream.resume();
    }
  }

  /** Destroys both streams without delivering anything more. */
  destroyAll(): void {
    this.stopped = true;
    this.chunks = [];
    for (const output of this.outputs) output.stream.destroy();
  }

  private watch(stream: Readable, name: OutputName, readHeld: ReadHeld): Output {
    const splitter = createLineSplitter((content, continuation) => {
      if (this.collected === null) this.events.line(name, content, continuation);
      else this.collected.push({ stream: name, content, continuation });
    });
    const output: Output = { stream, splitter, closed: false };
    const index = this.batcher.add({
      // The reader's chunk is a view of a shared buffer: the batch keeps a copy.
      readHeld: (limit) =>
        output.closed || this.stopped || this.paused
          ? 0
          : readHeld(limit, (chunk) => this.batcher.arrive(index, Buffer.from(chunk))),
    });
    stream.on('data', (chunk: Buffer) =>
      this.events.guard(() => {
        if (!this.stopped && !output.closed) this.batcher.arrive(index, chunk);
      }),
    );
    // 'close' follows 'error' too, so it is the one signal that the stream is done.
    stream.on('error', () => {});
    // A spawner's pipe can close before the runner gets it (the script printed nothing and exited): its 'close' is past.
    if (stream.destroyed) queueMicrotask(() => this.events.guard(() => this.onClosed(output)));
    else stream.once('close', () => this.events.guard(() => this.onClosed(output)));
    return output;
  }

  private onClosed(output: Output): void {
    if (output.closed || this.stopped) return;
    // Its last partial line is read in a batch too, with what the other stream holds.
    const index = this.outputs.indexOf(output);
    this.batcher.batch(index, () => {
      output.closed = true;
      this.chunks.push([index, null]);
    });
    this.events.closed();
  }

  private deliverBatch(): void {
    const chunks = this.chunks;
    this.chunks = [];
    const first = chunks[0]?.[0];
    if (first === undefined) return;
    this.events.beforeBatch();
    if (chunks.every(([index]) => index === first)) {
      // One stream alone: its order is exact, so its lines go straight on, as read.
      this.split(chunks);
      this.events.afterBatch();
      return;
    }
    const lines: PendingLine[] = (this.collected = []);
    try {
      this.split(chunks);
    } finally {
      this.collected = null;
    }
    for (const line of lines) if (mayBeMask(line)) this.events.maskAhead(line.content);
    // Handed on in slices the size a single pipe read gives, so a 1 MiB batch does not make one huge store write.
    lines.forEach((line, index) => {
      this.events.line(line.stream, line.content, line.continuation);
      if ((index + 1) % LINES_PER_SLICE === 0) this.events.afterBatch();
    });
    if (lines.length % LINES_PER_SLICE !== 0) this.events.afterBatch();
  }

  private split(chunks: ReadonlyArray<[number, Buffer | null]>): void {
    for (const [index, chunk] of chunks) {
      const splitter = this.outputs[index]?.splitter;
      if (chunk === null) splitter?.end();
      else splitter?.push(chunk);
    }
  }
}
