// Scenario 10: agents × concurrent executions × lines into one coordinator-only server, against the same load on the local executor.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { createExecution, getJson, waitUntilEnded, type ExecutionStatusView } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { startBenchServer, type BenchServer } from '../lib/bench-server.js';
import { percentile, printTable } from '../lib/stats.js';

/** Figures of one placement (agents or the local executor). */
export interface AgentsRunResult {
  placement: string;
  executions: number;
  lines: number;
  seconds: number;
  linesPerSecond: number;
  /** Print on the script's machine -> a WebSocket subscriber of one sampled execution, in ms. */
  subscriberP50: number;
  subscriberP99: number;
  /** The same, in the paced phase (every execution at 200 lines/s): latency below saturation. */
  pacedP50: number;
  pacedP99: number;
  complete: boolean;
}

/** Both placements and the throughput ratio remote / local. */
export interface AgentsResult {
  sizes: { agents: number; perAgent: number; lines: number; pacedLines: number };
  remote: AgentsRunResult;
  local: AgentsRunResult;
  ratio: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
// Each line carries its print time, so the subscriber measures print -> delivered on one clock (one machine). The script
// waits a second (the samplers subscribe meanwhile), then prints `perTick` lines every `tickMs` ms.
const script = (lines: number, perTick: number, tickMs: number): string =>
  `node -e "let i=0;setTimeout(()=>{const t=setInterval(()=>{let s='';for(let k=0;k<${perTick}&&i<${lines};k++){i++;s+=i+' '+Date.now()+'\\n'}process.stdout.write(s);if(i>=${lines})clearInterval(t)},${tickMs})},1000)"`;
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

/** Subscribes to one execution and records print -> receive for every line. */
function sample(url: string, executionId: number): { latencies: number[]; close: () => void; ready: Promise<void> } {
  const latencies: number[] = [];
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  const ready = new Promise<void>((done) => {
    socket.on('open', () =>
      socket.send(
        JSON.stringify({ type: 'subscribe', data: { execution_id: executionId, from_line: 0, batch: true } }),
      ),
    );
    socket.on('message', (data: Buffer) => {
      const now = Date.now();
      const message = JSON.parse(data.toString()) as { type: string; data: { lines?: { content: string }[] } };
      if (message.type === 'subscribed') done();
      for (const line of message.data.lines ?? []) {
        const at = Number(line.content.split(' ')[1]);
        if (at > 0) latencies.push(now - at);
      }
    });
  });
  return { latencies, ready, close: () => socket.close() };
}

/**
 * Waits until none of `ids` is active, asking for the active list (one request per 250 ms, whatever the count: a
 * poll per execution would be a load of its own on the server), then reads each one's end once.
 */
async function waitAllEnded(url: string, ids: readonly number[]): Promise<ExecutionStatusView[]> {
  const deadline = Date.now() + 600_000;
  const ours = new Set(ids.map(String));
  for (;;) {
    const active = await getJson<{ id: string }[]>(url, '/api/executions/active');
    if (!active.some((execution) => ours.has(String(execution.id)))) break;
    if (Date.now() > deadline) throw new Error('executions still active after 600 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Promise.all(ids.map((id) => waitUntilEnded(url, id, 10_000)));
}

/** Creates `total` executions of `command`, times every line of the first few on a subscriber, waits for all. */
async function runLoad(
  context: BenchContext,
  url: string,
  total: number,
  command: string,
  label: string,
): Promise<{ seconds: number; latencies: number[]; complete: boolean }> {
  const started = performance.now();
  const ids: number[] = [];
  for (let i = 0; i < total; i++) ids.push(await createExecution(url, { name: `${label}-${i}`, command }));
  const probes = ids.slice(0, SAMPLED).map((id) => sample(url, id));
  await Promise.all(probes.map((probe) => probe.ready));
  const ends = await waitAllEnded(url, ids);
  const seconds = (performance.now() - started) / 1000;
  for (const probe of probes) probe.close();
  const failed = ends.filter((end) => end.status !== 'completed').length;
  if (failed > 0) noteFailure(context, `agents (${label}): ${failed} executions did not complete`);
  return { seconds, latencies: probes.flatMap((probe) => probe.latencies), complete: failed === 0 };
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
    const flood = await runLoad(context, server.url, total, script(sizes.lines, FLOOD.perTick, FLOOD.tickMs), label);
    const pacedCommand = script(sizes.pacedLines, PACED.perTick, PACED.tickMs);
    const paced = await runLoad(context, server.url, total, pacedCommand, `${label}-paced`);
    return {
      placement: remote ? `${sizes.agents} agents x ${sizes.perAgent}` : 'local executor',
      executions: total,
      lines: total * sizes.lines,
      seconds: flood.seconds,
      linesPerSecond: (total * sizes.lines) / flood.seconds,
      subscriberP50: percentile(flood.latencies, 50),
      subscriberP99: percentile(flood.latencies, 99),
      pacedP50: percentile(paced.latencies, 50),
      pacedP99: percentile(paced.latencies, 99),
      complete: flood.complete && paced.complete,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Runs the same load through agents and through the local executor, and prints both with the ratio. */
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
  const remote = await runPlacement(context, true, sizes);
  const local = await runPlacement(context, false, sizes);
  const ratio = remote.linesPerSecond / local.linesPerSecond;
  printTable(
    `10. Agents: ${sizes.agents} agents x ${sizes.perAgent} executions x ${sizes.lines.toLocaleString('en-US')} lines, same run on the local executor${full ? '' : " (smaller than the issue's 4 x 25 x 20,000: --agents-full)"} (target: remote within 25 % of local, p99 print -> subscriber < 250 ms); flood: every script as fast as it can, paced: every script at 200 lines/s`,
    [remote, local].map((r) => ({
      placement: r.placement,
      executions: r.executions,
      'lines stored': `${r.lines.toLocaleString('en-US')}${r.complete ? '' : ' (INCOMPLETE)'}`,
      s: r.seconds,
      'lines/s': Math.round(r.linesPerSecond),
      'flood p50 / p99 ms print->subscriber': `${r.subscriberP50} / ${r.subscriberP99}`,
      'paced p50 / p99 ms': `${r.pacedP50} / ${r.pacedP99}`,
    })),
  );
  console.log(`remote / local throughput: ${ratio.toFixed(2)}`);
  return { sizes, remote, local, ratio };
}
