// Scenario 2: N simultaneous POST /api/executions of `echo hi`: accepted, failed, time to accept all, time until all finished.
import { createExecution, getJson } from '../lib/api.js';
import { noteFailure, type BenchContext } from '../lib/bench-context.js';
import { printTable } from '../lib/stats.js';

/** Figures of one burst. */
export interface CreationResult {
  burst: number;
  accepted: number;
  failed: number;
  acceptSeconds: number;
  finishSeconds: number;
  /** Accepted executions that ended `completed` (checked through the list's total_count). */
  completed: number;
}

async function countCompleted(base: string): Promise<number> {
  const page = await getJson<{ total_count: number }>(base, '/api/executions?status=completed&limit=1');
  return page.total_count;
}

async function burst(base: string, count: number): Promise<CreationResult> {
  const completedBefore = await countCompleted(base);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: count }, () => createExecution(base, { name: 'burst', command: 'echo hi' }).catch(() => null)),
  );
  const acceptSeconds = (performance.now() - started) / 1000;
  const accepted = answers.filter((id) => id !== null).length;
  for (;;) {
    const active = await getJson<unknown[]>(base, '/api/executions/active');
    if (active.length === 0) break;
    if (performance.now() - started > 300_000) throw new Error('burst did not finish within 5 minutes');
    await new Promise((done) => setTimeout(done, 50));
  }
  const finishSeconds = (performance.now() - started) / 1000;
  return {
    burst: count,
    accepted,
    failed: count - accepted,
    acceptSeconds,
    finishSeconds,
    completed: (await countCompleted(base)) - completedBefore,
  };
}

/** Runs bursts of each size against one fresh server, checks every accepted execution completed, and prints the table. */
export async function benchCreations(context: BenchContext): Promise<CreationResult[]> {
  const sizes = context.quick ? [20, 50] : [20, 100, 500, 1000];
  const server = await context.target.open('2 creations');
  const results: CreationResult[] = [];
  try {
    for (const size of sizes) results.push(await burst(server.url, size));
  } finally {
    await server.stop();
  }
  printTable(
    '2. Concurrent creation of `echo hi`, all requests sent at once (target: 1,000 accepted, zero errors, < 2 s)',
    results.map((r) => ({
      burst: r.burst,
      accepted: r.accepted,
      failed: r.failed,
      completed: r.completed,
      'all accepted s': r.acceptSeconds,
      'all finished s': r.finishSeconds,
    })),
  );
  for (const r of results) {
    if (r.failed > 0 || r.completed !== r.accepted)
      noteFailure(context, `creation burst ${r.burst}: ${r.failed} failed, ${r.completed}/${r.accepted} completed`);
  }
  return results;
}
