// Owns the one table of who may call each route: its required role, and whether it counts as a creation for rate limits.
import type { Role } from '../core/role.js';

/** Access rule of one route: `public` routes need no key (they may still check one themselves). */
export interface RouteAccess {
  role: Role | 'public';
  /** Counts against the creations-per-minute limit. */
  creates?: boolean;
  /** Exempt from the requests-per-minute limit (health probes must never be throttled). */
  unlimited?: boolean;
}

const viewer: RouteAccess = { role: 'viewer' };
const operator: RouteAccess = { role: 'operator' };
const admin: RouteAccess = { role: 'admin' };
// Agents stream every line through these: a request limit would throttle a busy script, not an abuser.
const agent: RouteAccess = { role: 'agent', unlimited: true };

const HEALTH_FIGURES: Record<string, RouteAccess> = {
  'GET /health/status': viewer,
  'GET /health/metrics': viewer,
  'GET /health/database': viewer,
  'POST /health/optimize': admin,
};

/** Every API route, keyed `METHOD /pattern` as Fastify registers it; HEAD follows GET. */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  'GET /api/health': { role: 'public', unlimited: true },
  // The handler checks the key in the body itself, answering 401 like every other route.
  'POST /api/session': { role: 'public' },
  'GET /api/session': viewer,
  'DELETE /api/session': viewer,
  'GET /metrics': viewer,
  'GET /api/openapi.json': viewer,
  'GET /api/executions': viewer,
  'POST /api/executions': { role: 'operator', creates: true },
  'GET /api/executions/active': viewer,
  'GET /api/executions/statistics': viewer,
  'GET /api/executions/:id': viewer,
  'DELETE /api/executions/:id': admin,
  'POST /api/executions/:id/cancel': operator,
  'POST /api/executions/:id/rerun': { role: 'operator', creates: true },
  'GET /api/executions/:id/logs': viewer,
  'GET /api/executions/:id/annotations': viewer,
  'GET /api/executions/:id/summaries': viewer,
  'GET /api/executions/:id/logs/raw': viewer,
  'GET /api/executions/:id/logs/search': viewer,
  'GET /api/search': viewer,
  'GET /api/artifacts': viewer,
  'POST /api/artifacts': operator,
  'GET /api/artifacts/:id': viewer,
  'DELETE /api/artifacts/:id': admin,
  'GET /api/artifacts/:id/download': viewer,
  'GET /api/audit': admin,
  'POST /api/agent/register': agent,
  'POST /api/agent/heartbeat': agent,
  'POST /api/agent/batches': agent,
  'POST /api/agent/artifacts': agent,
  'GET /api/agents': viewer,
  ...HEALTH_FIGURES,
  ...Object.fromEntries(
    Object.entries(HEALTH_FIGURES).map(([route, access]) => [route.replace(' /', ' /api/'), access]),
  ),
};

/** True for paths that are API surface (and so must appear in ROUTE_ACCESS), as opposed to the dashboard's files. */
export function isProtectedPath(url: string): boolean {
  return /^\/(api|metrics|health)(\/|$)/.test(url);
}

/** The rule for a registered route; undefined when the table lacks it. */
export function accessFor(method: string, url: string): RouteAccess | undefined {
  return ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}

/** Route config of the dashboard's routes: its files (marked by @fastify/static with `rootPath`) and its catch-all. */
export interface DashboardRouteConfig {
  dashboard?: boolean;
  rootPath?: unknown;
}

/** True for a route that serves the dashboard (public files, no API behind it). */
export function isDashboardRoute(method: string, config: DashboardRouteConfig | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') && (config?.dashboard === true || typeof config?.rootPath === 'string')
  );
}

const VIEWER_ONLY: RouteAccess = viewer;
const DASHBOARD: RouteAccess = { role: 'public', unlimited: true };

/**
 * The rule for a request, decided on the route the router matched (never on the URL as spelled):
 * `null` when no rule allows it (a matched route missing from the table: deny). An unmatched request, or the
 * dashboard's catch-all reached by an API-looking path, needs a viewer key, so the API cannot be mapped anonymously.
 */
export function resolveAccess(
  method: string,
  matchedUrl: string | undefined,
  config: DashboardRouteConfig | undefined,
  path: string,
): RouteAccess | null {
  if (matchedUrl === undefined) return VIEWER_ONLY;
  if (isDashboardRoute(method, config)) return isProtectedPath(normalizePath(path)) ? VIEWER_ONLY : DASHBOARD;
  return accessFor(method, matchedUrl) ?? null;
}

/** A path as a lenient reader would take it: percent-decoded, lower-cased, repeated slashes and dot segments folded. */
export function normalizePath(path: string): string {
  // An absolute-form target (`POST http://evil/api/x`) is routed on its path, so it is read on its path.
  let decoded = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // A malformed escape stays as written.
  }
  const segments: string[] = [];
  for (const segment of decoded.toLowerCase().split(/[/\\]+/)) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return `/${segments.join('/')}`;
}
