// Scenario 10: agents × concurrent executions × lines into one coordinator-only server, against the same load on the local executor.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { createExecution, waitUntilEnded } from '../lib/api.js';
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
  complete: boolean;
}

/** Both placements and the throughput ratio remote / local. */
export interface AgentsResult {
  sizes: { agents: number; perAgent: number; lines: number };
  remote: AgentsRunResult;
  local: AgentsRunResult;
  ratio: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
// Each line carries its print time, so the subscriber measures print -> delivered on one clock (one machine). The script
// waits a second (the sampler subscribes meanwhile), then prints 100 lines every 5 ms (up to 20,000 lines/s per execution).
const script = (lines: number): string =>
  `node -e "let i=0;setTimeout(()=>{const t=setInterval(()=>{let s='';for(let k=0;k<100&&i<${lines};k++){i++;s+=i+' '+Date.now()+'\\n'}process.stdout.write(s);if(i>=${lines})clearInterval(t)},5)},1000)"`;

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

async function runPlacement(
  context: BenchContext,
  remote: boolean,
  agents: number,
  perAgent: number,
  lines: number,
): Promise<AgentsRunResult> {
  const total = agents * perAgent;
  const server: BenchServer = await startBenchServer(
    remote ? ['--local-executor', 'false'] : ['--max-concurrent', String(total)],
  );
  const workDir = mkdtempSync(join(tmpdir(), 'stepflow-bench-agents-'));
  const children: ChildProcess[] = [];
  try {
    if (remote)
      for (let i = 0; i < agents; i++)
        children.push(await startAgent(server.url, `bench-${i}`, perAgent, join(workDir, String(i))));
    const started = performance.now();
    const ids: number[] = [];
    for (let i = 0; i < total; i++)
      ids.push(await createExecution(server.url, { name: `agents-${i}`, command: script(lines) }));
    const probe = sample(server.url, ids[0]!);
    await probe.ready;
    const ends = await Promise.all(ids.map((id) => waitUntilEnded(server.url, id, 600_000, 100)));
    const seconds = (performance.now() - started) / 1000;
    probe.close();
    const complete = ends.every((end) => end.status === 'completed');
    if (!complete)
      noteFailure(
        context,
        `agents (${remote ? 'remote' : 'local'}): ${ends.filter((e) => e.status !== 'completed').length} executions did not complete`,
      );
    return {
      placement: remote ? `${agents} agents x ${perAgent}` : 'local executor',
      executions: total,
      lines: total * lines,
      seconds,
      linesPerSecond: (total * lines) / seconds,
      subscriberP50: percentile(probe.latencies, 50),
      subscriberP99: percentile(probe.latencies, 99),
      complete,
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
    ? { agents: 4, perAgent: 25, lines: 20_000 }
    : context.quick
      ? { agents: 1, perAgent: 2, lines: 2_000 }
      : { agents: 2, perAgent: 4, lines: 10_000 };
  const remote = await runPlacement(context, true, sizes.agents, sizes.perAgent, sizes.lines);
  const local = await runPlacement(context, false, sizes.agents, sizes.perAgent, sizes.lines);
  const ratio = remote.linesPerSecond / local.linesPerSecond;
  printTable(
    `10. Agents: ${sizes.agents} agents x ${sizes.perAgent} executions x ${sizes.lines.toLocaleString('en-US')} lines, same run on the local executor${full ? '' : " (smaller than the issue's 4 x 25 x 20,000: --agents-full)"} (target: remote within 25 % of local, p99 print -> subscriber < 250 ms)`,
    [remote, local].map((r) => ({
      placement: r.placement,
      executions: r.executions,
      'lines stored': `${r.lines.toLocaleString('en-US')}${r.complete ? '' : ' (INCOMPLETE)'}`,
      s: r.seconds,
      'lines/s': Math.round(r.linesPerSecond),
      'p50 ms print->subscriber': r.subscriberP50,
      'p99 ms': r.subscriberP99,
    })),
  );
  console.log(`remote / local throughput: ${ratio.toFixed(2)}`);
  return { sizes, remote, local, ratio };
}
