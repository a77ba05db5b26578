// Owns the group commit of log lines: lines are buffered and written in batches, never one per transaction.
import type { LogLine } from '../core/log-line.js';
import type { Store } from '../store/store.js';
import type { DatabaseOutage } from './database-outage.js';

/** Buffers log lines of all executions and commits them every `flushMs` or `batchLines`, in order. */
export interface LogWriter {
  add(executionId: number, line: LogLine): void;
  /** Commits everything buffered so far (for every execution); resolves when it is stored. */
  flush(): Promise<void>;
  /**
   * Commits what is buffered once the event loop has taken every request that is ready (setImmediate): callers that
   * each bring a group of lines at once (agents' batches) share one commit instead of forcing one each.
   */
  flushSoon(): void;
  /** Drops the bookkeeping of a finished execution (call after its last flush). */
  forget(executionId: number): void;
  /** Lines buffered and not yet committed. */
  readonly pending: number;
  /** Characters of line text buffered and not yet committed (what STEPFLOW_OUTAGE_BUFFER_MB bounds). */
  readonly pendingChars: number;
}

/** Settings and hooks of a log writer. */
export interface LogWriterOptions {
  flushMs: number;
  batchLines: number;
  /** Called after a batch of one execution is committed (the bus publishes it from here). */
  onCommitted: (executionId: number, lines: readonly LogLine[]) => void;
  /**
   * Called when a commit fails. The writer then drops every later line of that execution, so its
   * stored log stays an exact prefix of the output (no gap), and keeps going for the others.
   */
  onFailed: (executionId: number, error: unknown) => void;
  /** Non-null while no line may be stored (the storage reserve is in use), saying why. */
  refusal?: () => string | null;
  /** Called once for an execution whose lines were refused; its later lines are dropped as after a failed commit. */
  onRefused?: (executionId: number, reason: string) => void;
  /** Commits wait through database outages here, in order (absent: a failed commit is final). */
  outage?: DatabaseOutage;
  /** Most characters of line text held; a line past it is dropped, with its later ones, and `onOverflow` is told. */
  maxPendingChars?: number;
  onOverflow?: (executionId: number) => void;
}

/** How many cut batches one commit may take when they queue behind a commit in flight. */
const MERGE_FACTOR = 16;

/** Creates a log writer on top of a store. */
export function createLogWriter(store: Store, options: LogWriterOptions): LogWriter {
  let buffers = new Map<number, LogLine[]>();
  let pending = 0;
  let pendingChars = 0;
  let timer: NodeJS.Timeout | null = null;
  // Commits are chained so batches land in the order they were cut, even with an async store.
  let chain: Promise<void> = Promise.resolve();
  const broken = new Set<number>();
  // Executions whose new lines are dropped because the held text passed maxPendingChars.
  const full = new Set<number>();

  // Lines are refused rather than written into the freed reserve: that room is kept for the rows that end executions.
  function refused(executionId: number): boolean {
    const reason = options.refusal?.() ?? null;
    if (reason === null) return false;
    broken.add(executionId);
    options.onRefused?.(executionId, reason);
    return true;
  }

  // Past the bound the line is dropped with every later one of its execution, so the stored log stays a prefix; the
  // lines held before it are still stored.
  function overflowed(executionId: number): boolean {
    if (full.has(executionId)) return true;
    if (options.maxPendingChars === undefined || pendingChars <= options.maxPendingChars) return false;
    full.add(executionId);
    options.onOverflow?.(executionId);
    return true;
  }

  async function append(executionId: number, lines: readonly LogLine[]): Promise<void> {
    const write = async (attempt: number): Promise<void> => {
      // An attempt cut off after its commit stored the lines without saying so: store only the rest, each line once.
      const last = attempt === 0 ? 0 : await store.lastLogLine(executionId);
      const rest = last === 0 ? lines : lines.filter((line) => line.line > last);
      if (rest.length > 0) await store.appendLogLines(executionId, rest);
    };
    await (options.outage ? options.outage.retry(write) : write(0));
  }

  function settle(lines: readonly LogLine[]): void {
    pending -= lines.length;
    for (const line of lines) pendingChars -= line.content.length;
  }

  async function commit(batch: Map<number, LogLine[]>): Promise<void> {
    for (const [executionId, lines] of batch) {
      if (broken.has(executionId) || refused(executionId)) {
        settle(lines);
        continue;
      }
      try {
        await append(executionId, lines);
        settle(lines);
        options.onCommitted(executionId, lines);
      } catch (error) {
        settle(lines);
        const first = !broken.has(executionId);
        broken.add(executionId);
        if (first) options.onFailed(executionId, error);
      }
    }
  }

  // The batch cut while a commit is in flight waits here, and later cuts join it: under a backlog each commit takes
  // everything that arrived during the one before (up to MERGE_FACTOR batches), so a database that pays a round trip
  // and a flush per commit stores large batches instead of a queue of small ones.
  let queued: { batch: Map<number, LogLine[]>; lines: number } | null = null;
  const mergeLimit = options.batchLines * MERGE_FACTOR;

  function enqueue(batch: Map<number, LogLine[]>, lines: number): void {
    if (queued !== null && queued.lines + lines <= mergeLimit) {
      for (const [executionId, more] of batch) {
        const held = queued.batch.get(executionId);
        if (held === undefined) queued.batch.set(executionId, more);
        else for (const line of more) held.push(line);
      }
      queued.lines += lines;
      return;
    }
    const entry = { batch, lines };
    queued = entry;
    chain = chain.then(() => {
      if (queued === entry) queued = null;
      return commit(entry.batch);
    });
  }

  function cut(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (buffers.size > 0) {
      const batch = buffers;
      buffers = new Map();
      enqueue(batch, buffered);
      buffered = 0;
    }
    return chain;
  }

  let buffered = 0;
  let soon: NodeJS.Immediate | null = null;
  return {
    add(executionId, line) {
      if (broken.has(executionId) || refused(executionId) || overflowed(executionId)) return;
      let lines = buffers.get(executionId);
      if (!lines) {
        lines = [];
        buffers.set(executionId, lines);
      }
      lines.push(line);
      pending++;
      pendingChars += line.content.length;
      buffered++;
      if (buffered >= options.batchLines) void cut();
      else if (!timer) timer = setTimeout(() => void cut(), options.flushMs);
    },
    flush: () => cut(),
    flushSoon() {
      soon ??= setImmediate(() => {
        soon = null;
        void cut();
      });
    },
    forget(executionId) {
      broken.delete(executionId);
      full.delete(executionId);
    },
    get pending() {
      return pending;
    },
    get pendingChars() {
      return pendingChars;
    },
  };
}
