// Owns running a log search off the server's thread: a worker per search, terminated when its budget runs out.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExecutionRecord } from '../../core/execution.js';
import type { LogSearchExecutionHit, LogSearchPage, LogSearchQuery } from '../store.js';
import type { SearchScanMessage } from './scan-logs-for-search.js';

/** Starts the worker: its source through tsx's loader under tsx (tests, `npm run dev`), dist/search-worker.mjs beside the bundle otherwise. */
function startWorker(workerData: unknown): Worker {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new Worker(join(dirname(here), 'search-worker.mjs'), { workerData });
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./search-logs-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** Searches the database file's logs in a worker; `load` turns the hits' ids into records on the caller's connection. */
export function searchSqliteLogs(file: string, query: LogSearchQuery, load: (id: number) => ExecutionRecord | null): Promise<LogSearchPage> {
  const { budget_ms: budgetMs, ...scan } = query;
  const hits: { id: number; hit: Omit<LogSearchExecutionHit, 'execution'> }[] = [];
  const page: Omit<LogSearchPage, 'executions'> = { next_before_id: null, partial: false, searched_executions: 0, searched_chunks: 0, skipped_chunks: 0 };
  let lastSearched: number | null = null;
  return new Promise((resolve, reject) => {
    const worker = startWorker({ file, query: scan });
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
      const executions = hits.flatMap(({ id, hit }) => {
        const execution = load(id);
        return execution === null ? [] : [{ execution, ...hit }];
      });
      resolve({ ...page, executions });
    };
    // The budget is wall-clock time in the worker, so a pathological pattern stops here whatever it does.
    const timer = setTimeout(() => {
      Object.assign(page, { partial: true, next_before_id: lastSearched });
      finish();
    }, budgetMs);
    worker.on('message', (message: SearchScanMessage) => {
      if (message.kind === 'hit') hits.push({ id: message.execution_id, hit: { match_count: message.match_count, more: message.more, matches: message.matches } });
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
    worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(`log search worker exited with code ${code}`)));
  });
}
