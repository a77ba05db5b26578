// Builds what `npm start` runs: the server and CLI bundled by esbuild into dist/cli.mjs (dependencies stay in node_modules).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const started = Date.now();
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log(`stepflow: built dist/cli.mjs in ${Date.now() - started} ms`);
