// Owns `stepflow agent`: run executions for a server from this machine, connecting out to it.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { startAgent } from '../agent/start-agent.js';
import { addExamples } from './add-examples.js';
import { exitAfter, usageError } from './cli-error.js';

interface AgentFlags {
  server: string;
  key?: string;
  name?: string;
  labels?: string;
  concurrency: string;
  workDir?: string;
  spoolMb: string;
  killGrace: string;
}

function positive(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(n > 0) || n > max)
    throw usageError(`${flag} must be a number from 1 to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** Adds `agent` to the program. */
export function registerAgentCommand(program: Command): Command {
  const agent = program
    .command('agent')
    .description(
      'run executions for a StepFlow server on this machine (connects out to the server; works behind NAT and HTTP proxies)',
    )
    .requiredOption('--server <url>', 'the server, e.g. https://stepflow.example.com')
    .option('--key <key>', 'an API key of role agent (or STEPFLOW_AGENT_KEY)')
    .option('--name <name>', "the agent's name (default: this host's name)")
    .option('--labels <labels>', 'comma-separated labels executions may ask for with runs_on, e.g. linux,gpu')
    .option('--concurrency <n>', 'executions run at once', '1')
    .option(
      '--work-dir <dir>',
      'where executions without a working directory run, and the spool (default ./stepflow-agent)',
    )
    .option(
      '--spool-mb <mb>',
      'most MiB of unacknowledged output held (in memory, then on disk) before scripts are paused',
      '256',
    )
    .option('--kill-grace <seconds>', 'seconds between SIGTERM and SIGKILL when stopping a script', '5')
    .action((flags: AgentFlags) =>
      exitAfter(async () => {
        if (!/^https?:\/\//.test(flags.server))
          throw usageError(`--server must be an http:// or https:// URL, got ${JSON.stringify(flags.server)}`);
        const labels = (flags.labels ?? '')
          .split(',')
          .map((label) => label.trim())
          .filter((label) => label !== '');
        const running = startAgent({
          server: flags.server,
          key: flags.key ?? process.env.STEPFLOW_AGENT_KEY ?? null,
          name: flags.name ?? hostname(),
          labels,
          concurrency: positive(flags.concurrency, '--concurrency', 1024),
          workDir: resolve(flags.workDir ?? 'stepflow-agent'),
          spoolBytes: positive(flags.spoolMb, '--spool-mb', 1_048_576) * 1024 * 1024,
          version: packageJson.version,
          killGraceMs: positive(flags.killGrace, '--kill-grace', 3600) * 1000,
          env: process.env,
          log: (message) => process.stderr.write(`stepflow agent: ${message}\n`),
        });
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => running.stop());
        await running.stopped;
        return 0;
      }),
    );
  return addExamples(agent, [
    [
      'stepflow agent --server http://10.0.0.5:8080 --key sfk_... --labels linux,gpu',
      'run executions that ask for runs_on: ["gpu"] on this machine',
    ],
  ]);
}
