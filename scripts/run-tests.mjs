// Runs the test suites with node:test (via tsx), then prints the slowest test files; Node 20's --test does not
// expand globs, so we list files here. The exit code is the test run's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const suites = {
  unit: ['src'],
  integration: ['test/integration'],
  e2e: ['test/e2e'],
};
const SLOWEST_SHOWN = 10;

function findTests(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// Reads the reporter's JSON lines; a missing or torn file only costs the summary, never the result.
function readDurations(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line);
      return typeof entry.ms === 'number' ? [entry] : [];
    } catch {
      return [];
    }
  });
}

function printSlowest(durations) {
  if (durations.length === 0) return;
  const slowest = [...durations].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN);
  console.log(`\nslowest ${slowest.length} test files:`);
  for (const { file, ms } of slowest)
    console.log(`${(ms / 1000).toFixed(1).padStart(8)} s  ${relative(process.cwd(), file)}`);
}

const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? wanted : Object.keys(suites);
const files = chosen.flatMap((name) => {
  const dirs = suites[name];
  if (!dirs) {
    console.error(`run-tests: unknown suite "${name}" (known: ${Object.keys(suites).join(', ')})`);
    process.exit(2);
  }
  return dirs.flatMap(findTests);
});
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const scratch = mkdtempSync(join(tmpdir(), 'stepflow-test-durations-'));
const durationsFile = join(scratch, 'durations.jsonl');
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(import.meta.dirname, 'file-durations-reporter.mjs')}`,
  `--test-reporter-destination=${durationsFile}`,
];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporters, ...files],
  { stdio: 'inherit' },
);
printSlowest(readDurations(durationsFile));
rmSync(scratch, { recursive: true, force: true });
process.exit(result.status ?? 1);
