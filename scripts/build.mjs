// Builds what `npm start` runs: the server and CLI bundled by esbuild into dist/cli.mjs (dependencies stay in node_modules,
// except the few bundled in, see BUNDLED_PACKAGES)
// with the process spawner helper it forks (dist/spawner.mjs), the log search worker threads (dist/search-worker.mjs for SQLite, dist/search-postgres-worker.mjs for PostgreSQL),
// and the dashboard (web/) built by Vite into web/dist, which the server serves at `/`.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

// ESM packages made of hundreds of small files (typebox: 373 modules loaded at start, kysely: 263). Node's ESM loader
// costs about 35 KB of resident memory per module, so loading them from node_modules made a third of the idle
// server's RSS; bundled, each is one module holding only what we use (docs/benchmarks.md, "RSS idle").
const BUNDLED_PACKAGES = new Set(['typebox', 'kysely']);

/** Every other bare import stays external, as `packages: 'external'` would make it. */
const externalExceptBundled = {
  name: 'external-except-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      const name = path.startsWith('@') ? path.split('/', 2).join('/') : path.split('/', 1)[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
    });
  },
};

// esbuild escapes non-ASCII in code but keeps it in the comments it preserves; a single such character makes V8
// hold the whole bundle's source as UTF-16 (two bytes a character) for the life of the process.
function escapeNonAscii(dir) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.mjs'))) {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    const ascii = text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) writeFileSync(`${dir}/${file}`, ascii);
  }
}

rmSync('dist', { recursive: true, force: true });
const started = Date.now();
await build({
  entryPoints: {
    cli: 'src/cli/main.ts',
    spawner: 'src/runner/spawner/spawner-main.ts',
    'search-worker': 'src/store/sqlite/search-logs-worker.ts',
    'search-postgres-worker': 'src/store/postgres/search-postgres-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  plugins: [externalExceptBundled],
  sourcemap: true,
  logLevel: 'warning',
});
escapeNonAscii('dist');
console.log(
  `stepflow: built dist/cli.mjs, dist/spawner.mjs, dist/search-worker.mjs and dist/search-postgres-worker.mjs in ${Date.now() - started} ms`,
);

// Vite is a devDependency: a production-only install (--omit=dev) skips the dashboard instead of failing.
let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('stepflow: vite is not installed, so the dashboard (web/dist) was not built');
}
if (vite) {
  const webStarted = Date.now();
  await vite.build({ root: 'web', logLevel: 'warn' });
  console.log(`stepflow: built web/dist in ${Date.now() - webStarted} ms`);
}
