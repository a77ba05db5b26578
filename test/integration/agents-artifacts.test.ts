// An agent's artifacts and rules end to end: a real `stepflow agent` process behind a loopback proxy, against a real server
// that also runs the same script on its local executor, so every remote figure is compared with the local one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnAgent, startCuttingProxy, type AgentProcess, type CuttingProxy } from './agent-process.js';
import { startServer, type TestServer } from './harness.js';
import { connectWs, type WsTestClient } from './ws-test-client.js';

interface ListedArtifact {
  name: string;
  file_name: string;
  artifact_type: string;
  description: string | null;
  step_id: string | null;
  download_url: string;
}

const LIMIT = 200_000;
// A directory with a nested file, a symlink and 150 KB of incompressible bytes (an upload of several TCP reads), and
// one whose contents pass the limit; then the agent's own variables as the script sees them.
const SCRIPT = [
  'echo STEP_START:Build',
  'mkdir -p out/sub huge',
  "printf 'a\\n' > out/a.txt",
  "printf 'b\\n' > out/sub/b.txt",
  'ln -s a.txt out/link',
  'head -c 150000 /dev/urandom > out/noise.bin',
  `head -c ${LIMIT + 1000} /dev/zero > huge/zeros`,
  'echo ARTIFACT:out:Build output',
  'echo ARTIFACT:huge',
  'echo STEP_COMPLETE:Build',
  'echo "h=$HIDDEN_CUSTOM p=$PASS_CUSTOM t=$SOME_TOKEN"',
].join('; ');

let server: TestServer;
let proxy: CuttingProxy;
let agent: AgentProcess;
let ws: WsTestClient;
let remoteId = '';
after(async () => {
  await ws?.close();
  await agent?.kill();
  await proxy?.close();
  await server?.close();
});

async function artifactsOf(id: string): Promise<ListedArtifact[]> {
  return (await server.request<{ artifacts: ListedArtifact[] }>('GET', `/api/artifacts?execution_id=${id}`)).body.data!
    .artifacts;
}

/** Downloads a .tar.gz artifact and extracts it; answers every entry below as `path -> content or link target`. */
async function unpacked(artifact: ListedArtifact): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-unpacked-'));
  const archive = join(dir, 'a.tar.gz');
  writeFileSync(archive, Buffer.from(await (await fetch(server.url + artifact.download_url)).arrayBuffer()));
  execFileSync('tar', ['-xzf', archive, '-C', dir]);
  const entries: Record<string, string> = {};
  const walk = (relative: string): void => {
    for (const name of readdirSync(join(dir, relative)).sort()) {
      const path = join(relative, name);
      const info = lstatSync(join(dir, path));
      if (info.isDirectory()) walk(path);
      else if (info.isSymbolicLink()) entries[path] = `-> ${readlinkSync(join(dir, path))}`;
      else entries[path] = readFileSync(join(dir, path)).toString('base64').slice(0, 64) + `:${info.size}`;
    }
  };
  walk('out');
  return entries;
}

describe('agents: artifacts and rules like the local executor', () => {
  it('uploads a directory artifact packed like a local one, under the same limit, retried after a cut upload', async () => {
    server = await startServer({
      maxArtifactBytes: LIMIT,
      secretNamePatterns: ['*_CUSTOM'],
      childEnvPassthrough: ['PASS_CUSTOM'],
    });
    proxy = await startCuttingProxy(() => server.app.port);
    agent = await spawnAgent(`http://127.0.0.1:${proxy.port}`, 'packer', ['--labels', 'box'], {
      HIDDEN_CUSTOM: 'aaa-hidden',
      PASS_CUSTOM: 'bbb-passed',
      SOME_TOKEN: 'ccc-token',
    });
    ws = await connectWs(server.url.replace(/^http/, 'ws') + '/ws');
    const cut = proxy.cutOnce('POST /api/agent/artifacts', 60_000);
    const local = await server.create({
      command: SCRIPT,
      working_directory: mkdtempSync(join(tmpdir(), 'stepflow-local-run-')),
    });
    const remote = await server.create({ command: SCRIPT, runs_on: ['box'] });
    remoteId = remote;
    for (const id of [local, remote])
      assert.equal((await server.waitForEnd(id, 30_000)).execution.status, 'completed', `execution ${id}`);

    const [localList, remoteList] = [await artifactsOf(local), await artifactsOf(remote)];
    const shape = (list: ListedArtifact[]): unknown[] =>
      list.map((a) => [a.name, a.file_name, a.artifact_type, a.description, a.step_id !== null]);
    assert.deepEqual(shape(localList), [['out', 'out.tar.gz', 'archive', 'Build output', true]]);
    assert.deepEqual(shape(remoteList), shape(localList), 'listed exactly like the local one');
    const [localEntries, remoteEntries] = [await unpacked(localList[0]!), await unpacked(remoteList[0]!)];
    assert.deepEqual(Object.keys(remoteEntries), ['out/a.txt', 'out/link', 'out/noise.bin', 'out/sub/b.txt']);
    assert.equal(remoteEntries['out/link'], '-> a.txt', 'a symlink is stored as a link');
    assert.equal(remoteEntries['out/a.txt'], localEntries['out/a.txt']);
    assert.equal(remoteEntries['out/sub/b.txt'], localEntries['out/sub/b.txt']);
    assert.match(remoteEntries['out/noise.bin']!, /:150000$/, 'the upload cut midway was sent again, whole');
    await cut;

    // The directory past the limit is refused on both, with the same warning line in the log.
    const warning = async (id: string): Promise<string> =>
      (await server.allLines(id)).find((line) => line.content.startsWith('warning: artifact "huge"'))?.content ?? '';
    for (const id of [local, remote])
      assert.match(await warning(id), /^warning: artifact "huge" refused: .*200000-byte artifact limit/, id);

    // execution_completed counts the artifacts of a remote run as of a local one.
    const counted = async (id: string): Promise<number> =>
      (await ws.waitFor('execution_completed', (m) => String(m.data.execution_id) === id)).data.artifacts_count;
    assert.deepEqual([await counted(remote), await counted(local)], [1, 1]);
  });

  it("withholds and masks the agent's variables by the server's secret name patterns, not a fixed list", async () => {
    const seen = (await server.allLines(remoteId)).find((line) => line.content.startsWith('h='))?.content;
    // *_CUSTOM is secret on this server: HIDDEN_CUSTOM is withheld, PASS_CUSTOM passed through but masked;
    // *TOKEN* is not one of its patterns, so SOME_TOKEN reaches the script.
    assert.equal(seen, 'h= p=*** t=ccc-token');
  });
});
