// Scenario 10's report: each figure's median over the rounds, and the table of every round.
import { percentile, printTable } from '../lib/stats.js';
import { STORED_POLL_MS } from '../lib/line-latency.js';
import type { AgentsResult, AgentsRunResult } from './agents.js';

/** Each figure's median over the rounds (figure by figure: the rows need not come from the same round). */
export function medianRun(runs: AgentsRunResult[]): AgentsRunResult {
  const first = runs[0]!;
  const result: Record<string, unknown> = { ...first, complete: runs.every((run) => run.complete) };
  for (const key of Object.keys(first) as (keyof AgentsRunResult)[])
    if (typeof first[key] === 'number')
      result[key] = percentile(
        runs.map((run) => Number(run[key])),
        50,
      );
  return result as unknown as AgentsRunResult;
}

/** Prints every round of both placements, the medians and the ratio. */
export function printAgents(result: AgentsResult, full: boolean): void {
  const { sizes, rounds } = result;
  const row = (label: string, r: AgentsRunResult) => ({
    round: label,
    placement: r.placement,
    executions: r.executions,
    'lines stored': `${r.lines.toLocaleString('en-US')}${r.complete ? '' : ' (INCOMPLETE)'}`,
    s: r.seconds,
    'lines/s': Math.round(r.linesPerSecond),
    'flood p50/p99 ms, stored': `${r.storedP50} / ${r.storedP99}`,
    'flood subscriber': `${r.subscriberP50} / ${r.subscriberP99}`,
    'paced stored': `${r.pacedStoredP50} / ${r.pacedStoredP99}`,
    'paced subscriber': `${r.pacedP50} / ${r.pacedP99}`,
    'CPU s per M lines, server + agents': `${r.serverCpuPerMillion.toFixed(2)} + ${r.agentsCpuPerMillion.toFixed(2)}`,
  });
  const rows = rounds.flatMap((round, i) => [row(String(i + 1), round.remote), row(String(i + 1), round.local)]);
  if (rounds.length > 1) rows.push(row('median', result.remote), row('median', result.local));
  printTable(
    `10. Agents: ${sizes.agents} agents x ${sizes.perAgent} executions x ${sizes.lines.toLocaleString('en-US')} lines, same run on the local executor${full ? '' : " (smaller than the issue's 4 x 25 x 20,000: --agents-full)"} (target: remote within 25 % of local, p99 print -> subscriber < 250 ms); flood: every script as fast as it can, paced: every script at 200 lines/s; latency from print to readable from the store (read every ${STORED_POLL_MS} ms) and to a WebSocket subscriber; ${rounds.length} round(s), each placement once per round`,
    rows,
  );
  const each = rounds.map((round) => round.ratio.toFixed(2)).join(', ');
  console.log(
    rounds.length > 1
      ? `remote / local throughput: median ${result.ratio.toFixed(2)} of ${rounds.length} rounds (${each})`
      : `remote / local throughput: ${each}`,
  );
}
