// Scenario: N simultaneous POST /api/executions of `echo hi`: accepted, failed, time to accept all, time until all finished.
import { getJson, unwrap } from '../lib/api.js';
import { startBenchServer } from '../lib/bench-server.js';
import { printTable } from '../lib/stats.js';

/** Figures of one burst. */
export interface CreationResult {
  burst: number;
  accepted: number;
  failed: number;
  acceptSeconds: number;
  finishSeconds: number;
}

async function burst(base: string, count: number): Promise<CreationResult> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: count }, () =>
      fetch(`${base}/api/executions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'burst', command: 'echo hi' }) })
        .then(async (response) => (response.status === 201 ? unwrap<{ execution_id: number }>(await response.json()).execution_id : null))
        .catch(() => null),
    ),
  );
  const acceptSeconds = (performance.now() - started) / 1000;
  const accepted = answers.filter((id) => id !== null).length;
  for (;;) {
    const active = await getJson<unknown[]>(base, '/api/executions/active');
    if (active.length === 0) break;
    if (performance.now() - started > 300_000) throw new Error('burst did not finish within 5 minutes');
    await new Promise((done) => setTimeout(done, 50));
  }
  return { burst: count, accepted, failed: count - accepted, acceptSeconds, finishSeconds: (performance.now() - started) / 1000 };
}

/** Runs bursts of each size against one fresh server and prints the table. */
export async function benchCreations(sizes: readonly number[]): Promise<CreationResult[]> {
  const server = await startBenchServer();
  const results: CreationResult[] = [];
  try {
    for (const size of sizes) results.push(await burst(server.url, size));
  } finally {
    await server.stop();
  }
  printTable('Concurrent creation of `echo hi` (target: 1,000 accepted, zero errors, < 2 s)', results.map((r) => ({ burst: r.burst, accepted: r.accepted, failed: r.failed, 'all accepted s': r.acceptSeconds, 'all finished s': r.finishSeconds })));
  return results;
}
