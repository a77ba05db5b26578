// Owns `npm run bench -- --fuzz`: every *.property.test.ts under src/ and test/, with many runs and a seed printed for reproduction.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
/** No single property test may run longer than this, however many runs were asked for. */
const TEST_TIMEOUT_MS = 20 * 60_000;

function findPropertyTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findPropertyTests(path);
      return entry.name.endsWith('.property.test.ts') ? [relative(ROOT, path)] : [];
    });
}

/**
 * Runs the property suites with STEPFLOW_FUZZ_RUNS = `runs` and STEPFLOW_FUZZ_SEED = `seed` (a random
 * one when null), printing both first so a failure can be replayed; returns the test run's exit code.
 */
export function runPropertyFuzz(runs: number, seed: number | null): number {
  const files = ['src', 'test'].flatMap((dir) => findPropertyTests(join(ROOT, dir)));
  const chosen = seed ?? randomInt(2 ** 31 - 1);
  const env = { ...process.env, STEPFLOW_FUZZ_RUNS: String(runs), STEPFLOW_FUZZ_SEED: String(chosen) };
  console.log(
    `fuzz: ${files.length} property suites, ${runs.toLocaleString('en-US')} runs per property (heavy ones take a share), seed ${chosen}`,
  );
  console.log(
    `reproduce: STEPFLOW_FUZZ_RUNS=${runs} STEPFLOW_FUZZ_SEED=${chosen} node --import tsx --test ${files.join(' ')}`,
  );
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
    { cwd: ROOT, env, stdio: 'inherit' },
  );
  console.log(`fuzz: ${result.status === 0 ? 'every property held' : 'a property failed'} (seed ${chosen})`);
  return result.status ?? 1;
}
