// Builds what `npm start` runs: the server and CLI bundled by esbuild into dist/cli.mjs (dependencies stay in node_modules),
// and the dashboard (web/) built by Vite into web/dist, which the server serves at `/`.
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
