// The real `stepflow` client commands against a real server: list, logs, cancel, artifacts, usage and connection errors (run: cli-run.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WireExecution } from '../../src/core/wire-types.js';
import { createFifoGate } from '../fifo-gate.js';
import { executionIdOf, start, stepflow } from './cli-process.js';
import { startServer, type TestServer } from './harness.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as { port: number };
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

describe('stepflow client commands', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ killGraceSeconds: 0.5, maxConcurrent: 8 });
  });
  after(() => server.close());

  describe('list', () => {
    it('prints a table of the newest executions, filtered by status', async () => {
      for (const code of ['4', '5'])
        await server.waitForEnd(await server.create({ command: ['./exit-code.sh', code] }));
      const { code, stdout } = await stepflow(['list', '--server', server.url, '--status', 'failed', '--limit', '1']);
      assert.equal(code, 0);
      const [header, row, more] = stdout.trimEnd().split('\n');
      assert.match(header ?? '', /^ID\s+STATUS\s+NAME\s+STARTED\s+DURATION\s+STEPS$/);
      assert.match(row ?? '', /^\d+\s+failed\s+\.\/exit-code\.sh 5\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+\s+0\/1$/);
      assert.match(more ?? '', /^1-1 of \d+ shown \(--offset 1 for more\)$/);
    });

    it('filters by --tag and --search, and pages with --offset', async () => {
      const ids: string[] = [];
      for (const name of ['cli-page alpha', 'cli-page beta', 'cli-page gamma'])
        ids.push(await server.create({ command: 'true', name, tags: ['cli-page'] }));
      await server.create({ command: 'true', name: 'cli-page untagged' });
      const list = async (...args: string[]): Promise<string[]> => {
        const { code, stdout, stderr } = await stepflow(['list', '--server', server.url, '--json', ...args]);
        assert.equal(code, 0, stderr);
        return (JSON.parse(stdout) as WireExecution[]).map((execution) => execution.id);
      };
      const newestFirst = [...ids].reverse();
      assert.deepEqual(await list('--tag', 'cli-page'), newestFirst);
      assert.deepEqual(await list('--tag', 'cli-page', '--search', 'BETA'), [ids[1]]);
      assert.deepEqual(await list('--tag', 'cli-page', '--limit', '1', '--offset', '1'), [newestFirst[1]]);
      const table = await stepflow([
        'list',
        '--server',
        server.url,
        '--tag',
        'cli-page',
        '--limit',
        '2',
        '--offset',
        '1',
      ]);
      assert.match(table.stdout.trimEnd().split('\n').at(-1) ?? '', /^2-3 of 3 shown$/);
    });

    it('says "completed with N failed steps" for a completed run whose non-critical steps failed', async () => {
      await server.waitForEnd(await server.create({ command: './fail-optional-step.sh', tags: ['cli-story'] }));
      const { code, stdout, stderr } = await stepflow(['list', '--server', server.url, '--tag', 'cli-story']);
      assert.equal(code, 0, stderr);
      assert.match(
        stdout.trimEnd().split('\n')[1] ?? '',
        /^\d+\s+completed with 1 failed step\s+\.\/fail-optional-step\.sh\s.*\s1\/2$/,
      );
    });

    it('prints JSON with --json', async () => {
      const { code, stdout } = await stepflow(['list', '--server', server.url, '--json', '--limit', '2']);
      assert.equal(code, 0);
      const executions = JSON.parse(stdout) as WireExecution[];
      assert.equal(executions.length, 2);
      assert.ok(
        executions.every((execution) => typeof execution.id === 'string' && typeof execution.status === 'string'),
      );
    });
  });

  describe('logs', () => {
    it("prints the stored log, and one step's lines with --step", async () => {
      const id = await server.create({ command: './steps-basic.sh' });
      const { steps } = await server.waitForEnd(id);
      const lines = await server.allLines(id);
      const stored = lines.map((line) => `${line.content}\n`).join('');
      // Which step the stderr line joins depends on how the two pipes were read, so the expectation comes from the store.
      const testStep = steps.find((step) => step.name === 'Test')?.id;
      const ofTest = lines
        .filter((line) => line.step_id === testStep)
        .map((line) => `${line.content}\n`)
        .join('');
      // Step markers become the headers and results `run` prints; --raw prints the stored text.
      const structured = (text: string): string =>
        text
          .replace(
            /^STEP_START:(Build|Test).*$/gm,
            (_line, name: string) => `==> Step ${name === 'Build' ? 1 : 2}: ${name}`,
          )
          .replace(
            /^STEP_COMPLETE:(Build|Test)$/gm,
            (_line, name: string) => `<== Step ${name === 'Build' ? 1 : 2}: ${name} completed in T`,
          );
      const timeless = (text: string): string => text.replace(/ completed in .+$/gm, ' completed in T');
      const all = await stepflow(['logs', String(id), '--server', server.url]);
      assert.equal(all.code, 0);
      assert.equal(timeless(all.stdout), structured(stored));
      assert.doesNotMatch(all.stdout, /STEP_COMPLETE/);
      const raw = await stepflow(['logs', String(id), '--server', server.url, '--raw']);
      assert.equal(raw.stdout, stored);
      const test = await stepflow(['logs', String(id), '--server', server.url, '--step', 'Test']);
      assert.equal(test.code, 0);
      assert.match(ofTest, /^STEP_START:Test\n(testing\n)?STEP_COMPLETE:Test\n$/);
      assert.equal(timeless(test.stdout), structured(ofTest));
    });

    it('follows a running execution to its end with --follow, every line once', async () => {
      const id = await server.create({ command: ['./print-lines.sh', '5'] });
      // The script holds its last line until the CLI has printed the others: the CLI surely follows a live run.
      const gate = createFifoGate();
      const script = 'exec 3<"$GATE"; for i in $(seq 1 300); do echo "n $i"; done; read _ <&3; echo last';
      const slow = await server.create({ command: ['sh', '-c', script], environment: { GATE: gate.path } });
      const follower = start(['logs', String(slow), '--server', server.url, '--follow']);
      await follower.waitForStdout(/^n 300$/m);
      await gate.release();
      const { code, stdout } = await follower.done;
      await gate.close();
      assert.equal(code, 0);
      const lines = stdout.trimEnd().split('\n');
      assert.deepEqual(lines, [...Array.from({ length: 300 }, (_, i) => `n ${i + 1}`), 'last']);
      await server.waitForEnd(id);
    });

    it("fails with the server's message for an unknown execution", async () => {
      const { code, stdout, stderr } = await stepflow(['logs', '999999', '--server', server.url]);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.equal(stderr, 'stepflow: execution 999999 not found (execution_not_found)\n');
    });
  });

  describe('cancel', () => {
    it('cancels a running execution, and refuses one that has ended', async () => {
      const id = await server.create({ command: './sleep-forever.sh' });
      for (let i = 0; i < 200 && (await server.allLines(id)).length < 3; i++)
        await new Promise((r) => setTimeout(r, 25));
      const first = await stepflow(['cancel', String(id), '--server', server.url]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, `execution ${id} cancelled\n`);
      const { execution } = await server.waitForEnd(id);
      assert.equal(execution.status, 'cancelled');
      const again = await stepflow(['cancel', String(id), '--server', server.url]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /^stepflow: .*\(execution_finished\)\n$/);
    });
  });

  describe('artifacts', () => {
    let workdir: string;
    before(() => {
      workdir = mkdtempSync(join(tmpdir(), 'stepflow-cli-'));
    });
    after(() => rmSync(workdir, { recursive: true, force: true }));

    it('lists and downloads artifacts into a folder', async () => {
      writeFileSync(
        join(workdir, 'make.sh'),
        'printf "hello" > report.txt\nprintf "x" > "odd name.bin"\necho ARTIFACT:report.txt\necho "ARTIFACT:odd name.bin"\n',
      );
      const run = await stepflow(['run', '--server', server.url, '--cwd', workdir, '--', 'sh', 'make.sh'], workdir);
      assert.equal(run.code, 0, run.stderr);
      const id = executionIdOf(run.stdout);
      const list = await stepflow(['artifacts', String(id), '--server', server.url]);
      assert.equal(list.code, 0);
      assert.match(list.stdout, /^ID\s+SIZE\s+TYPE\s+NAME\s+URL$/m);
      assert.match(list.stdout, /report\.txt\s+http:\/\/127\.0\.0\.1:\d+\/api\/artifacts\/\d+\/download$/m);
      const download = await stepflow(['artifacts', String(id), '--server', server.url, '--download', 'out'], workdir);
      assert.equal(download.code, 0, download.stderr);
      assert.deepEqual(readdirSync(join(workdir, 'out')).sort(), ['odd name.bin', 'report.txt']);
      assert.equal(readFileSync(join(workdir, 'out', 'report.txt'), 'utf8'), 'hello');
      assert.match(download.stdout, /^saved .*report\.txt \(5 B\)$/m);
    });

    it('says so when there are none', async () => {
      const id = await server.create({ command: './print-lines.sh 1' });
      await server.waitForEnd(id);
      const { code, stdout } = await stepflow(['artifacts', String(id), '--server', server.url]);
      assert.equal(code, 0);
      assert.equal(stdout, `execution ${id} has no artifacts\n`);
    });
  });

  // Independent of each other and of the server's state, so they run side by side.
  describe('errors', { concurrency: true }, () => {
    for (const [args, message] of [
      [['run', '--server', 'URL'], /^stepflow: missing required argument 'command'/],
      [
        ['run', '--server', 'URL', '--env', 'NOEQUALS', '--', 'true'],
        /^stepflow: --env: "NOEQUALS" must be KEY=VALUE\n$/,
      ],
      [['run', '--server', 'URL', '--timeout', '0', '--', 'true'], /^stepflow: --timeout: /],
      [['logs', 'abc', '--server', 'URL'], /^stepflow: "abc" is not an execution id/],
      [['list', '--server', 'URL', '--limit', '0'], /^stepflow: --limit: /],
      [
        ['list', '--server', 'URL', '--offset', '-1'],
        /^stepflow: --offset: "-1" must be a whole number from 0 to 1000000000\n$/,
      ],
      [['list', '--server', 'URL', '--tag', ''], /^stepflow: --tag: must not be empty\n$/],
      [['list', '--server', 'not-a-url'], /^stepflow: --server: "not-a-url" is not a URL/],
      [['cancel', '--server', 'URL'], /^stepflow: missing required argument 'id'/],
    ] as const) {
      it(`exits 2 with one line for: ${args.join(' ')}`, async () => {
        const { code, stdout, stderr } = await stepflow(args.map((arg) => (arg === 'URL' ? server.url : arg)));
        assert.equal(code, 2);
        assert.equal(stdout, '');
        assert.equal(stderr.split('\n').filter(Boolean).length, 1, stderr);
        assert.match(stderr, message);
      });
    }

    it('exits 1 with one line when the server cannot be reached', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      // --server goes right after the subcommand: after `--` it would be part of the script's command.
      const runs = [['list'], ['run', '--', './steps-basic.sh'], ['logs', '1']].map(([command, ...rest]) =>
        stepflow([command ?? '', '--server', url, ...rest]),
      );
      for (const { code, stdout, stderr } of await Promise.all(runs)) {
        assert.equal(code, 1);
        assert.equal(stdout, '');
        assert.equal(stderr, `stepflow: cannot reach ${url}: connection refused\n`);
      }
    });
  });
});
