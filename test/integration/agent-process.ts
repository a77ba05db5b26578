// Starts `stepflow agent` as a real child process with its own work dir, and a loopback TCP proxy that can cut connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../../src/cli/main.ts');

/** An agent process and what it printed. */
export interface AgentProcess {
  child: ChildProcess;
  workDir: string;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves once the agent has registered `times` times in all. */
  registered(times?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts an agent against `server`; resolves once it registered. */
export async function spawnAgent(
  server: string,
  name: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<AgentProcess> {
  const workDir = mkdtempSync(join(tmpdir(), `stepflow-agent-${name}-`));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'agent',
      '--server',
      server,
      '--name',
      name,
      '--work-dir',
      workDir,
      '--kill-grace',
      '0.5',
      ...extra,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  const watchers: (() => void)[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const watch of watchers) watch();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const agent: AgentProcess = {
    child,
    workDir,
    exited,
    output: () => out,
    registered: (times = 1) =>
      new Promise<void>((done, fail) => {
        const check = (): void => {
          if ((out.match(/registered with/g) ?? []).length >= times) done();
        };
        watchers.push(check);
        check();
        void exited.then((code) => fail(new Error(`agent ${name} exited with ${code}: ${out}`)));
      }),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  await agent.registered();
  return agent;
}

/** A loopback TCP proxy to `targetPort`; `cut()` destroys every connection through it (the agent sees a cut network). */
export interface CuttingProxy {
  port: number;
  cut(): number;
  /** Down: every connection is cut and new ones are dropped at once, as if the server were unreachable; up again: forwarded. */
  setDown(down: boolean): void;
  /** Cuts the next connection that carries `marker` (e.g. a request line) once `afterBytes` of it went through. */
  cutOnce(marker: string, afterBytes: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port. */
export async function startCuttingProxy(targetPort: () => number): Promise<CuttingProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  let trap: { marker: string; afterBytes: number; sprung: () => void } | null = null;
  const server: Server = createServer((client) => {
    if (down) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort() });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    let seen = -1;
    client.on('data', (chunk: Buffer) => {
      if (trap === null) return;
      if (seen < 0 && chunk.toString('latin1').includes(trap.marker)) seen = 0;
      if (seen < 0) return;
      seen += chunk.length;
      if (seen < trap.afterBytes) return;
      trap.sprung();
      trap = null;
      client.destroy();
      upstream.destroy();
    });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      const n = sockets.size;
      for (const socket of sockets) socket.destroy();
      return n;
    },
    setDown(value) {
      down = value;
      if (down) for (const socket of sockets) socket.destroy();
    },
    cutOnce: (marker, afterBytes) => new Promise<void>((sprung) => (trap = { marker, afterBytes, sprung })),
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
