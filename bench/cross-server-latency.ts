// `npm run bench -- --database postgres`, cross-server part: two servers on one PostgreSQL, a run on B, a WebSocket subscriber on A and one on B; the extra latency of A over B per line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../src/store/postgres/create-test-database.js';
import { createExecution, getJson, waitUntilEnded } from './lib/api.js';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';
import { subscribeLines, type LineSubscription } from './lib/line-latency.js';
import { percentile, printTable } from './lib/stats.js';

/** Figures of one cross-server run, latencies in ms. */
export interface CrossServerFigures {
  lines: number;
  /** Print on B -> received by a subscriber on B. */
  sameServer: { p50: number; p99: number };
  /** Print on B -> received by a subscriber on A. */
  otherServer: { p50: number; p99: number };
  /** Per line: received on A minus received on B. */
  extra: { p50: number; p99: number; max: number };
  /** Both subscribers received every line. */
  complete: boolean;
}

/** A subscriber that records, by printed line number, when each line arrived and when it was printed. */
interface Subscriber extends LineSubscription {
  received: Map<number, { at: number; printed: number }>;
}

function subscribe(url: string, executionId: number): Subscriber {
  const received = new Map<number, { at: number; printed: number }>();
  const subscription = subscribeLines(url, executionId, (content, at) => {
    const [n, printed] = content.split(' ').map(Number);
    if (n !== undefined && printed !== undefined && printed > 0) received.set(n, { at, printed });
  });
  return { ...subscription, received };
}

/** Waits for `go` to exist, then prints `lines` lines of "<n> <print time>", 10 every 10 ms (1,000 lines/s). */
const script = (go: string, lines: number): string =>
  `while [ ! -e ${go} ]; do sleep 0.02; done; node -e "let i=0;const t=setInterval(()=>{let s='';for(let k=0;k<10&&i<${lines};k++){i++;s+=i+' '+Date.now()+'\\n'}process.stdout.write(s);if(i>=${lines})clearInterval(t)},10)"`;

function summarize(lines: number, a: Subscriber, b: Subscriber): CrossServerFigures {
  const same: number[] = [];
  const other: number[] = [];
  const extra: number[] = [];
  for (const [n, onB] of b.received) {
    const onA = a.received.get(n);
    same.push(onB.at - onB.printed);
    if (onA === undefined) continue;
    other.push(onA.at - onA.printed);
    extra.push(onA.at - onB.at);
  }
  const pair = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  return {
    lines,
    sameServer: pair(same),
    otherServer: pair(other),
    extra: { ...pair(extra), max: Math.max(0, ...extra) },
    complete: a.received.size === lines && b.received.size === lines,
  };
}

async function untilRunning(url: string, id: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = (await getJson<{ execution: { status: string } }>(url, `/api/executions/${id}`)).execution.status;
    if (status === 'running') return;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${status} after 30 s`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** B alone claims the run (A starts after), which waits for a file until both subscribers are in. */
async function measure(url: string, lines: number, work: string): Promise<CrossServerFigures> {
  const flags = (name: string) => ['--database-url', url, '--server-name', name, '--max-concurrent', '4'];
  const servers: BenchServer[] = [await startBenchServer(flags('b'))];
  try {
    const [b] = servers as [BenchServer];
    const go = join(work, 'go');
    const id = await createExecution(b.url, { name: 'cross-server latency', command: script(go, lines) });
    await untilRunning(b.url, id);
    const a = await startBenchServer(flags('a'));
    servers.push(a);
    const onA = subscribe(a.url, id);
    const onB = subscribe(b.url, id);
    await Promise.all([onA.ready, onB.ready]);
    writeFileSync(go, '');
    await waitUntilEnded(b.url, id, 120_000, 50);
    const deadline = Date.now() + 10_000;
    while ((onA.received.size < lines || onB.received.size < lines) && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 20));
    onA.close();
    onB.close();
    return summarize(lines, onA, onB);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

/** Runs the cross-server measurement on a fresh database and prints it; returns the figures. */
export async function runCrossServerLatency(quick: boolean): Promise<CrossServerFigures> {
  const lines = quick ? 2_000 : 10_000;
  const database = await createTestDatabase('bench_cluster');
  if ('skip' in database) throw new Error(`--database postgres needs PostgreSQL: ${database.skip}`);
  const work = mkdtempSync(join(tmpdir(), 'stepflow-bench-cross-'));
  try {
    const figures = await measure(database.url, lines, work);
    printTable(
      `Live across servers: a run on B prints ${lines.toLocaleString('en-US')} lines at 1,000 lines/s, WebSocket subscribers on A and on B (target: extra p99 < 250 ms)`,
      [
        { figure: 'print -> subscriber on B (same server)', ...figures.sameServer, max: '-' },
        { figure: 'print -> subscriber on A (other server)', ...figures.otherServer, max: '-' },
        { figure: 'extra: received on A - received on B', ...figures.extra },
        { figure: 'every line on both', p50: figures.complete ? 'yes' : 'NO', p99: '-', max: '-' },
      ],
    );
    return figures;
  } finally {
    await database.drop();
    rmSync(work, { recursive: true, force: true });
  }
}
