// Owns running a store's log search off the server's thread: a worker per search, terminated when its budget runs out.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExecutionRecord } from '../../core/execution.js';
import type { LogSearchExecutionHit, LogSearchPage, LogSearchQuery } from '../store.js';
import type { SearchScanMessage } from './search-scan.js';

/** Which worker to start: its source (run through tsx's loader under tsx) and its bundle beside dist/cli.mjs. */
export interface SearchWorkerEntry {
  source: URL;
  bundle: string;
}

function startWorker(entry: SearchWorkerEntry, workerData: unknown): Worker {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new Worker(join(dirname(here), entry.bundle), { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.source.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/**
 * Runs a scan worker (given `{ ...source, query }` without the budget) and collects its messages into a page;
 * `load` turns the hits' ids into records on the caller's connection.
 */
export async function runSearchWorker(
  entry: SearchWorkerEntry,
  source: Record<string, unknown>,
  query: LogSearchQuery,
  load: (id: number) => ExecutionRecord | null | Promise<ExecutionRecord | null>,
): Promise<LogSearchPage> {
  const { budget_ms: budgetMs, ...scan } = query;
  const hits: { id: number; hit: Omit<LogSearchExecutionHit, 'execution'> }[] = [];
  const page: Omit<LogSearchPage, 'executions'> = {
    next_before_id: null,
    partial: false,
    searched_executions: 0,
    searched_chunks: 0,
    skipped_chunks: 0,
  };
  let lastSearched: number | null = null;
  await new Promise<void>((resolve, reject) => {
    const worker = startWorker(entry, { ...source, query: scan });
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    // The budget is wall-clock time in the worker, so a pathological pattern stops here whatever it does.
    const timer = setTimeout(() => {
      Object.assign(page, { partial: true, next_before_id: lastSearched });
      finish();
    }, budgetMs);
    worker.on('message', (message: SearchScanMessage) => {
      if (message.kind === 'hit')
        hits.push({
          id: message.execution_id,
          hit: { match_count: message.match_count, more: message.more, matches: message.matches },
        });
      else if (message.kind === 'progress') {
        const { last_id: lastId, ...counts } = message;
        lastSearched = lastId;
        Object.assign(page, counts);
      } else {
        page.next_before_id = message.next_before_id;
        finish();
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(code === 0 ? undefined : new Error(`log search worker exited with code ${code}`)),
    );
  });
  const executions: LogSearchPage['executions'] = [];
  for (const { id, hit } of hits) {
    const execution = await load(id);
    if (execution !== null) executions.push({ execution, ...hit });
  }
  return { ...page, executions };
}
