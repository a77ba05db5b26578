// Scenario 10: agents × concurrent executions × lines into one coordinator-only server, against the same load on the local executor.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createExecution, getJson, waitUntilEnded, type ExecutionStatusView } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { processCpuSeconds, startBenchServer, type BenchServer } from '../lib/bench-server.js';
import { percentile } from '../lib/stats.js';
import { pollStoredLatency, subscribeLatency } from '../lib/line-latency.js';
import { medianRun, printAgents } from './agents-report.js';

/** Figures of one placement (agents or the local executor). */
export interface AgentsRunResult {
  placement: string;
  executions: number;
  lines: number;
  seconds: number;
  linesPerSecond: number;
  /** Print on the script's machine -> readable from the store (polled), and -> a WebSocket subscriber, in ms. */
  storedP50: number;
  storedP99: number;
  subscriberP50: number;
  subscriberP99: number;
  /** The same, in the paced phase (every execution at 200 lines/s): latency below saturation. */
  pacedStoredP50: number;
  pacedStoredP99: number;
  pacedP50: number;
  pacedP99: number;
  /** CPU seconds per million lines in the flood, from go to the last end: the server's, and the agents' together. */
  serverCpuPerMillion: number;
  agentsCpuPerMillion: number;
  complete: boolean;
}

/** One round: both placements, one after the other, and their throughput ratio remote / local. */
export interface AgentsRound {
  remote: AgentsRunResult;
  local: AgentsRunResult;
  ratio: number;
}

/** Every round, and per placement the median of each figure over the rounds; `ratio` is the median round's. */
export interface AgentsResult {
  sizes: { agents: number; perAgent: number; lines: number; pacedLines: number };
  rounds: AgentsRound[];
  remote: AgentsRunResult;
  local: AgentsRunResult;
  ratio: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
const HAS_PERL = spawnSync('perl', ['-MTime::HiRes', '-e', '1']).status === 0;
/**
 * Each line carries its print time, so the subscriber measures print -> delivered on one clock (one machine). Every
 * script waits for the go file, then prints `perTick` lines every `tickMs` ms: all executions are created and running
 * before any prints, so they stream concurrently and the clock measures streaming, not creating. Perl where it has
 * Time::HiRes (see the fixture), else Node.
 */
const script = (lines: number, perTick: number, tickMs: number, go: string): string =>
  HAS_PERL
    ? `perl ${join(ROOT, 'bench/fixtures/timed-print.pl')} ${lines} ${perTick} ${tickMs} ${go}`
    : `node ${join(ROOT, 'bench/fixtures/timed-print.mjs')} ${lines} ${perTick} ${tickMs} ${go}`;
/** As fast as the server takes it: 100 lines every 5 ms (up to 20,000 lines/s per execution). */
const FLOOD = { perTick: 100, tickMs: 5 };
/** The latency phase: 10 lines every 50 ms (200 lines/s per execution), below what the server can store. */
const PACED = { perTick: 10, tickMs: 50 };
/** Executions whose every line a subscriber times. */
const SAMPLED = 4;

function startAgent(url: string, name: string, concurrency: number, workDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'dist/cli.mjs'),
      'agent',
      '--server',
      url,
      '--name',
      name,
      '--concurrency',
      String(concurrency),
      '--work-dir',
      workDir,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new Promise((done, fail) => {
    let out = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('registered with')) done(child);
    });
    child.on('exit', (code) => fail(new Error(`agent ${name} exited with ${code}: ${out}`)));
  });
}

/** Polls the active list (one request per `everyMs`, whatever the count: a poll per execution would load the server) until `done` says so. */
async function watchActive(
  url: string,
  what: string,
  done: (active: ExecutionStatusView[]) => boolean,
  everyMs = 250,
): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (!done(await getJson<ExecutionStatusView[]>(url, '/api/executions/active'))) {
    if (Date.now() > deadline) throw new Error(`${what}: still waiting after 600 s`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** One load: its command and the go file its scripts wait for. */
interface Load {
  total: number;
  lines: number;
  perTick: number;
  tickMs: number;
  label: string;
  workDir: string;
  /** CPU seconds used so far by the server and by the agents together. */
  cpu(): { server: number; agents: number };
}

/**
 * Creates the executions (the first few sampled by subscribers from the moment they exist), waits until all of them
 * run, then lets their scripts go and times until all have ended.
 */
async function runLoad(
  context: BenchContext,
  url: string,
  load: Load,
): Promise<{
  seconds: number;
  latencies: number[];
  stored: number[];
  complete: boolean;
  cpu: { server: number; agents: number };
}> {
  const go = join(load.workDir, `go-${load.label}`);
  const command = script(load.lines, load.perTick, load.tickMs, go);
  const ids: number[] = [];
  const probes: ReturnType<typeof subscribeLatency>[] = [];
  for (let i = 0; i < load.total; i++) {
    const id = await createExecution(url, { name: `${load.label}-${i}`, command });
    ids.push(id);
    if (i < SAMPLED) probes.push(subscribeLatency(url, id));
  }
  await Promise.all(probes.map((probe) => probe.ready));
  const ours = new Set(ids.map(String));
  const mine = (active: ExecutionStatusView[]): ExecutionStatusView[] =>
    active.filter((execution) => ours.has(String(execution.id)));
  // Pending ones have not started yet; one that already ended (a failed start) is reported with the rest below.
  await watchActive(url, `${load.label}: executions to start`, (active) =>
    mine(active).every((execution) => execution.status === 'running'),
  );
  const pollers = ids.slice(0, SAMPLED).map((id) => pollStoredLatency(url, id));
  const started = performance.now();
  const cpuAtGo = load.cpu();
  writeFileSync(go, '');
  // An execution leaves the active list once its end is stored, after every line of it (on an agent too: the agent
  // sends the end only once all its batches are acknowledged). Polled every 50 ms: the default size ends in a second.
  await watchActive(url, `${load.label}: executions to end`, (active) => mine(active).length === 0, 50);
  const seconds = (performance.now() - started) / 1000;
  const cpuAtEnd = load.cpu();
  const cpu = { server: cpuAtEnd.server - cpuAtGo.server, agents: cpuAtEnd.agents - cpuAtGo.agents };
  const ends = await Promise.all(ids.map((id) => waitUntilEnded(url, id, 10_000)));
  for (const probe of probes) probe.close();
  await Promise.all(pollers.map((poller) => poller.stop()));
  const failed = ends.filter((end) => end.status !== 'completed').length;
  if (failed > 0) noteFailure(context, `agents (${load.label}): ${failed} executions did not complete`);
  return {
    seconds,
    latencies: probes.flatMap((probe) => probe.latencies),
    stored: pollers.flatMap((poller) => poller.latencies),
    complete: failed === 0,
    cpu,
  };
}

async function runPlacement(
  context: BenchContext,
  remote: boolean,
  sizes: AgentsResult['sizes'],
): Promise<AgentsRunResult> {
  const total = sizes.agents * sizes.perAgent;
  const server: BenchServer = await startBenchServer(
    remote ? ['--local-executor', 'false'] : ['--max-concurrent', String(total)],
  );
  const workDir = mkdtempSync(join(tmpdir(), 'stepflow-bench-agents-'));
  const children: ChildProcess[] = [];
  const label = remote ? 'remote' : 'local';
  try {
    if (remote)
      for (let i = 0; i < sizes.agents; i++)
        children.push(await startAgent(server.url, `bench-${i}`, sizes.perAgent, join(workDir, String(i))));
    const cpu = () => ({
      server: server.cpuSeconds(),
      agents: children.reduce((sum, child) => sum + processCpuSeconds(child.pid!), 0),
    });
    const flood = await runLoad(context, server.url, { total, lines: sizes.lines, ...FLOOD, label, workDir, cpu });
    const paced = await runLoad(context, server.url, {
      total,
      lines: sizes.pacedLines,
      ...PACED,
      label: `${label}-paced`,
      workDir,
      cpu,
    });
    const millions = (total * sizes.lines) / 1_000_000;
    return {
      placement: remote ? `${sizes.agents} agents x ${sizes.perAgent}` : 'local executor',
      executions: total,
      lines: total * sizes.lines,
      seconds: flood.seconds,
      linesPerSecond: (total * sizes.lines) / flood.seconds,
      storedP50: percentile(flood.stored, 50),
      storedP99: percentile(flood.stored, 99),
      subscriberP50: percentile(flood.latencies, 50),
      subscriberP99: percentile(flood.latencies, 99),
      pacedStoredP50: percentile(paced.stored, 50),
      pacedStoredP99: percentile(paced.stored, 99),
      pacedP50: percentile(paced.latencies, 50),
      pacedP99: percentile(paced.latencies, 99),
      serverCpuPerMillion: flood.cpu.server / millions,
      agentsCpuPerMillion: flood.cpu.agents / millions,
      complete: flood.complete && paced.complete,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Rounds of both placements: a flood lasts seconds on a shared machine, so one round's ratio swings with whatever else
 * runs. Each round runs both placements back to back, the first one alternating, and the ratio reported is the
 * median of the rounds' own ratios.
 */
const ROUNDS = { quick: 1, other: 3 };

/** Runs the same load through agents and through the local executor, round after round, and prints every round and the medians. */
export async function benchAgents(context: BenchContext, full: boolean): Promise<AgentsResult | undefined> {
  if (context.target.foreign) {
    console.log('\n10. Agents: skipped against --target (it starts its own servers and agents)');
    return undefined;
  }
  const sizes = full
    ? { agents: 4, perAgent: 25, lines: 20_000, pacedLines: 2_000 }
    : context.quick
      ? { agents: 1, perAgent: 2, lines: 2_000, pacedLines: 400 }
      : { agents: 2, perAgent: 4, lines: 10_000, pacedLines: 1_000 };
  const rounds: AgentsRound[] = [];
  for (let round = 0; round < (context.quick ? ROUNDS.quick : ROUNDS.other); round++) {
    const remoteFirst = round % 2 === 0;
    const first = await runPlacement(context, remoteFirst, sizes);
    const second = await runPlacement(context, !remoteFirst, sizes);
    const [remote, local] = remoteFirst ? [first, second] : [second, first];
    rounds.push({ remote, local, ratio: remote.linesPerSecond / local.linesPerSecond });
  }
  const result: AgentsResult = {
    sizes,
    rounds,
    remote: medianRun(rounds.map((round) => round.remote)),
    local: medianRun(rounds.map((round) => round.local)),
    ratio: percentile(
      rounds.map((round) => round.ratio),
      50,
    ),
  };
  printAgents(result, full);
  return result;
}
