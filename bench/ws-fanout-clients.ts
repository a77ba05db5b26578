// The client side of the fan-out benchmark: a child process holding many batch subscribers that check every line and time it.
import WebSocket from 'ws';
import { decodeServerMessage, type WsClientMessage } from '../src/core/ws-messages.js';

/** What the child reports to the parent once every client saw execution_completed (or closed). */
export interface ClientsReport {
  /** Lines each client received. */
  counts: number[];
  /** Clients whose lines were not exactly 1, 2, 3, ... (a gap or a duplicate). */
  outOfOrder: number;
  /** Close codes of clients that were closed before the execution completed. */
  closedEarly: number[];
  /** Exact latency of every line at the fully checked clients: index = ms from the printed timestamp to receipt. */
  histogram: number[];
  /** How many clients were checked line by line. */
  fullClients: number;
  /** Latency at all other clients, each line counted at its batch's oldest line (an upper bound). */
  boundHistogram: number[];
  /** CPU time of the clients' process (it shares the machine with the server). */
  cpu: NodeJS.CpuUsage;
}

const BATCH_PREFIX = Buffer.from('{"type":"log_batch"');
const LINE_KEY = Buffer.from('{"line":');
const CONTENT_KEY = Buffer.from('"content":"');
const MAX_MS = 60_000;
const FULL_CHECK_EVERY = 50;

interface ClientState {
  next: number;
  count: number;
  ordered: boolean;
  done: boolean;
  closeCode: number | null;
  /** Checked line by line (one client in FULL_CHECK_EVERY) rather than by the ends of each batch. */
  full: boolean;
}

/** Reads the decimal integer at `pos`; returns it and the index after it. */
function readInt(buffer: Buffer, pos: number): [number, number] {
  let value = 0;
  let at = pos;
  for (let byte = buffer[at]!; byte >= 48 && byte <= 57; byte = buffer[++at]!) value = value * 10 + (byte - 48);
  return [value, at];
}

/** Reads the `<seq> <ms>` prefix of the content that follows `from`; returns the printed epoch ms and the index after it. */
function readSentAt(buffer: Buffer, from: number): [number, number] {
  const content = buffer.indexOf(CONTENT_KEY, from) + CONTENT_KEY.length;
  const [, afterSeq] = readInt(buffer, content);
  return readInt(buffer, afterSeq + 1);
}

/** Checks every line of a batch and times each one (the clients picked for the full check). */
function scanEveryLine(buffer: Buffer, state: ClientState, histogram: Uint32Array, now: number): void {
  let pos = buffer.indexOf(LINE_KEY);
  while (pos !== -1) {
    const [line, afterLine] = readInt(buffer, pos + LINE_KEY.length);
    const [sentAt, end] = readSentAt(buffer, afterLine);
    if (line !== state.next) state.ordered = false;
    state.next = line + 1;
    state.count++;
    histogram[Math.min(MAX_MS, Math.max(0, now - sentAt))]!++;
    pos = buffer.indexOf(LINE_KEY, end);
  }
}

/**
 * Checks a batch by its first and last line number and times its oldest line for all of them (an upper bound).
 * Every client receives byte-identical frames (the server serializes each batch once), so the fully checked
 * sample vouches for the lines in between; a full scan in every client would make this process the bottleneck.
 */
function scanEnds(buffer: Buffer, state: ClientState, histogram: Uint32Array, now: number): void {
  const firstAt = buffer.indexOf(LINE_KEY);
  if (firstAt === -1) return;
  const [first, afterFirst] = readInt(buffer, firstAt + LINE_KEY.length);
  const [last] = readInt(buffer, buffer.lastIndexOf(LINE_KEY) + LINE_KEY.length);
  const [sentAt] = readSentAt(buffer, afterFirst);
  if (first !== state.next || last < first) state.ordered = false;
  state.next = last + 1;
  state.count += last - first + 1;
  histogram[Math.min(MAX_MS, Math.max(0, now - sentAt))]! += last - first + 1;
}

function onMessage(data: Buffer, executionId: number, state: ClientState, histogram: Uint32Array): void {
  if (data.compare(BATCH_PREFIX, 0, BATCH_PREFIX.length, 0, BATCH_PREFIX.length) === 0) {
    (state.full ? scanEveryLine : scanEnds)(data, state, histogram, Date.now());
    return;
  }
  const message = decodeServerMessage(data.toString('utf8'));
  if (message === null) return;
  // Ids are strings on StepFlow's wire and numbers on the old tool's.
  if (message.type === 'execution_completed' && Number(message.data.execution_id) === executionId) state.done = true;
  if (message.type === 'error') throw new Error(`server error: ${JSON.stringify(message.data)}`);
}

/** Opens one subscribed client; resolves once it got `subscribed`. */
function openClient(
  url: string,
  executionId: number,
  state: ClientState,
  histogram: Uint32Array,
  onEnd: () => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    // The server's frames are valid UTF-8 by construction; skipping the check keeps the client process off the critical path.
    const socket = new WebSocket(url, { skipUTF8Validation: true });
    let subscribed = false;
    const subscribe: WsClientMessage = {
      type: 'subscribe',
      data: { execution_id: executionId, from_line: 0, batch: true },
    };
    socket.on('open', () => socket.send(JSON.stringify(subscribe)));
    socket.on('message', (data: Buffer) => {
      if (!subscribed && data.includes('"type":"subscribed"')) {
        subscribed = true;
        resolve();
      }
      onMessage(data, executionId, state, histogram);
      if (state.done) socket.close();
    });
    socket.on('close', (code) => {
      if (!state.done) state.closeCode = code;
      state.done = true;
      onEnd();
    });
    socket.on('error', reject);
  });
}

async function runClients(url: string, executionId: number, clients: number): Promise<void> {
  const histogram = new Uint32Array(MAX_MS + 1);
  const boundHistogram = new Uint32Array(MAX_MS + 1);
  const states: ClientState[] = Array.from({ length: clients }, (_, index) => ({
    next: 1,
    count: 0,
    ordered: true,
    done: false,
    closeCode: null,
    full: index % FULL_CHECK_EVERY === 0,
  }));
  let ended = 0;
  const onEnd = (): void => {
    if (++ended < clients) return;
    const report: ClientsReport = {
      counts: states.map((state) => state.count),
      outOfOrder: states.filter((state) => !state.ordered).length,
      closedEarly: states.flatMap((state) => (state.closeCode === null ? [] : [state.closeCode])),
      histogram: [...histogram],
      boundHistogram: [...boundHistogram],
      fullClients: states.filter((state) => state.full).length,
      cpu: process.cpuUsage(),
    };
    process.send?.({ kind: 'report', report }, () => process.exit(0));
  };
  // Connects in groups so the listen backlog is never the bottleneck being measured.
  for (let i = 0; i < clients; i += 100) {
    await Promise.all(
      states
        .slice(i, i + 100)
        .map((state) => openClient(url, executionId, state, state.full ? histogram : boundHistogram, onEnd)),
    );
  }
  process.send?.({ kind: 'ready' });
}

const [url, executionId, clients] = process.argv.slice(2);
runClients(url!, Number(executionId), Number(clients)).catch((error: unknown) => {
  console.error(`ws-fanout clients: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
