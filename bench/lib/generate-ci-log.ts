// Owns the benchmark's realistic CI log: compiler, test runner, npm/pip install output, stack traces, ANSI colours and timestamps.

/** A deterministic 32-bit generator (mulberry32), so every run measures the same corpus. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PACKAGES = [
  'react',
  'lodash',
  '@babel/core',
  'typescript',
  'eslint',
  'webpack',
  'jest',
  'express',
  'axios',
  'chalk',
  'commander',
  'semver',
  'rimraf',
  'glob',
  'inflight',
  'uuid',
  'debug',
  'yargs',
  'minimatch',
  'postcss',
];
const PY = [
  'requests',
  'numpy',
  'pandas',
  'urllib3',
  'certifi',
  'idna',
  'charset-normalizer',
  'pytest',
  'pluggy',
  'packaging',
  'six',
  'python-dateutil',
];
const DIRS = [
  'src/api',
  'src/core',
  'src/components',
  'src/utils',
  'lib/parser',
  'lib/net',
  'pkg/server',
  'internal/store',
  'app/models',
  'tests/unit',
];
const WORDS = [
  'parse',
  'render',
  'fetch',
  'update',
  'validate',
  'connect',
  'serialize',
  'handle',
  'resolve',
  'schedule',
  'compute',
  'load',
];
const NOUNS = [
  'config',
  'user',
  'session',
  'request',
  'token',
  'buffer',
  'queue',
  'cache',
  'route',
  'payload',
  'record',
  'stream',
];

/** A generator of log lines; `rare` is appended verbatim as one extra line when given to `next`. */
export interface CiLogGenerator {
  next(): string;
}

/** Creates a generator of CI-like lines averaging about 60-70 bytes, deterministic for a seed. */
export function createCiLogGenerator(seed: number): CiLogGenerator {
  const random = createRandom(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  let clock = Date.UTC(2026, 10, 30, 12, 0, 0);
  const file = (): string => `${pick(DIRS)}/${pick(WORDS)}-${pick(NOUNS)}.${pick(['ts', 'js', 'py', 'go', 'cpp'])}`;
  const templates: (() => string)[] = [
    () =>
      `npm WARN deprecated ${pick(PACKAGES)}@${int(9)}.${int(20)}.${int(10)}: This module is not supported, and leaks memory.`,
    () =>
      `npm http fetch GET 200 https://registry.npmjs.org/${pick(PACKAGES)} ${int(400)}ms (cache ${pick(['hit', 'miss', 'revalidated'])})`,
    () => `added ${int(2000)} packages, and audited ${int(2000)} packages in ${int(90)}s`,
    () => `Collecting ${pick(PY)}==${int(3)}.${int(40)}.${int(10)}`,
    () => `  Downloading ${pick(PY)}-${int(3)}.${int(40)}.${int(10)}-py3-none-any.whl (${int(900)} kB)`,
    () =>
      `\x1b[32m  ✓\x1b[39m ${pick(WORDS)}s the ${pick(NOUNS)} when the ${pick(NOUNS)} is ${pick(['empty', 'invalid', 'expired', 'missing', 'large'])} \x1b[90m(${int(50)} ms)\x1b[39m`,
    () => `\x1b[1m\x1b[32mPASS\x1b[39m\x1b[22m ${file()} (${int(9)}.${int(999)} s)`,
    () =>
      `[${String(int(100)).padStart(3)}%] Building CXX object ${pick(DIRS)}/CMakeFiles/core.dir/${pick(NOUNS)}_${int(300)}.cpp.o`,
    () =>
      `${file()}(${int(400)},${int(80)}): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.`,
    () => `${file()}:${int(400)}:${int(80)}: warning: unused variable '${pick(NOUNS)}' [-Wunused-variable]`,
    () =>
      `    at ${pick(WORDS)}${pick(NOUNS)[0]?.toUpperCase()}${pick(NOUNS).slice(1)} (/home/runner/work/app/app/${file()}:${int(400)}:${int(60)})`,
    () => `    at process.processTicksAndRejections (node:internal/process/task_queues:${int(100)}:${int(20)})`,
    () =>
      `${pick(['INFO', 'DEBUG', 'WARN'])} [${pick(WORDS)}-${pick(NOUNS)}] request id=${hex(12)} status=${pick([200, 201, 204, 404, 500])} took ${int(900)}ms`,
    () =>
      `Step ${int(20)}/${int(30) + 20} : RUN ${pick(['apt-get install -y', 'pip install', 'npm ci', 'make -j4', 'go build ./...'])} ${pick(PACKAGES)}`,
    () => ` ---> ${hex(12)}`,
    () =>
      pick([
        '',
        '##[endgroup]',
        '}',
        'Done.',
        '  ]',
        `Done in ${int(90)}.${int(99)}s.`,
        `##[group]Run ${pick(['npm test', 'make', 'pytest -q'])}`,
        `+ cd ${pick(DIRS)}`,
      ]),
    () => `  ${pick(NOUNS)}: ${int(100_000)}`,
    () =>
      `ok  \tgithub.com/acme/app/${pick(DIRS)}\t${int(9)}.${int(999)}s\tcoverage: ${int(100)}.${int(10)}% of statements`,
  ];
  return {
    next() {
      clock += int(40);
      const line = pick(templates)();
      // Runners prefix most lines with an ISO timestamp (GitHub Actions' "timestamps" view, GitLab's raw log).
      return random() < 0.4 ? `${new Date(clock).toISOString()} ${line}` : line;
    },
  };
}
