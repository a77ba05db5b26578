// Starts `stepflow serve` as a real child process (for SIGKILL and restart tests) and talks to it over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { clientFor, FIXTURES, type TestServer } from './harness.js';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

/** A server process, its HTTP client and its exit. */
export interface ServerProcess {
  child: ChildProcess;
  client: TestServer;
  exited: Promise<number | null>;
}

/** Starts `stepflow serve` as its own process and waits for its "listening" line. */
export async function spawnServer(storage: string, extra: string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--port',
      '0',
      '--ws-port',
      '0',
      '--storage',
      storage,
      '--log-level',
      'silent',
      '--kill-grace',
      '0.5',
      ...extra,
    ],
    { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const url = await waitForListening(child);
  const client = clientFor(url, storage, {} as RunningApp, async () => {
    child.kill('SIGKILL');
    await exited;
  });
  return { child, client, exited };
}

/** Resolves with the URL of the "StepFlow listening on URL" line a `stepflow serve` child prints; rejects if it exits first. */
export function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code} before listening: ${out}`)));
  });
}
