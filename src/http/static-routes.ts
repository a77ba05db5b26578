// Owns serving the built dashboard (web/dist) at `/`, with SPA fallback for client routes and a CSP on the HTML.
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { errorEnvelope } from './errors.js';
import { isProtectedPath, normalizePath } from './route-access.js';
import type { TypedApp } from './typed-app.js';

/** The policy sent with the dashboard's HTML: scripts and styles from us only, WebSocket to any host for the live feed. */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Finds web/dist by walking up to the package root: this file runs from src/http (tsx) and from dist/cli.mjs (bundle). */
export function findWebDist(start: string = import.meta.dirname): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web'))) {
      const dist = join(dir, 'web', 'dist');
      return existsSync(join(dist, 'index.html')) ? dist : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

// Judged on the path as a lenient reader would take it, so `/API/x` or `/%61pi/x` answers like `/api/x` (JSON, not the app).
function isApiPath(raw: string): boolean {
  const path = normalizePath(raw);
  return isProtectedPath(path) || path === '/ws' || path.startsWith('/ws/');
}

/** Registers the dashboard routes; unknown /api paths keep answering the JSON 404 envelope. */
export async function registerStaticRoutes(app: TypedApp, webDist: string | null = findWebDist()): Promise<void> {
  if (webDist === null) {
    app.get('/*', { schema: { hide: true }, config: { dashboard: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (isApiPath(path)) return reply.status(404).send(errorEnvelope('route_not_found', `no route GET ${path}`));
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The StepFlow dashboard is not built. Run `npm run build` (or `npm install`), then reload.\nThe API is available under /api.\n',
        );
    });
    return;
  }
  // Only files that exist at start-up get routes (wildcard: false), so the catch-all below handles every other path.
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => {
      // Vite puts a content hash in every file name under assets/, so those never change.
      reply.header(
        'cache-control',
        path.includes(join('dist', 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      reply.header('x-content-type-options', 'nosniff');
      if (path.endsWith('.html')) {
        reply.header('content-security-policy', DASHBOARD_CSP);
        reply.header('x-frame-options', 'DENY');
        reply.header('referrer-policy', 'same-origin');
      }
    },
  });
  app.get('/*', { schema: { hide: true }, config: { dashboard: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isApiPath(path)) return reply.status(404).send(errorEnvelope('route_not_found', `no route GET ${path}`));
    if (/\.[a-z0-9]+$/i.test(path)) {
      // Files added by a rebuild after start-up have no route of their own; serve them if they exist inside web/dist.
      const file = resolve(webDist, `.${decodeURIComponent(path)}`);
      if (file.startsWith(webDist + sep) && existsSync(file)) return reply.sendFile(relative(webDist, file));
      return reply.status(404).type('text/plain; charset=utf-8').send(`not found: ${path}\n`);
    }
    // Client routes such as /executions/42 all load the app, which routes on the client.
    return reply.sendFile('index.html');
  });
}
