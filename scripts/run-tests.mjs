// Runs the test suites with node:test (via tsx); Node 20's --test does not expand globs, so we list files here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = {
  unit: ['src'],
  integration: ['test/integration'],
  e2e: ['test/e2e'],
};

function findTests(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? wanted : Object.keys(suites);
const files = chosen.flatMap((name) => {
  const dirs = suites[name];
  if (!dirs) { console.error(`run-tests: unknown suite "${name}" (known: ${Object.keys(suites).join(', ')})`); process.exit(2); }
  return dirs.flatMap(findTests);
});
if (files.length === 0) { console.error('run-tests: no test files found'); process.exit(1); }
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
