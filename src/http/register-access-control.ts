// Owns enforcing ROUTE_ACCESS on every request: who is calling (key or session cookie), their role, the Origin of cookie requests, and rate limits.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import { roleAllows } from '../core/role.js';
import type { AuthService, Principal } from '../service/auth/auth-service.js';
import { readCredentials } from '../service/auth/read-credentials.js';
import { isOriginAllowed } from '../ws/check-origin.js';
import { createRateLimiter, type RateLimiter } from './create-rate-limiter.js';
import { accessFor, isProtectedPath, type RouteAccess } from './route-access.js';
import type { TypedApp } from './typed-app.js';

/** A registered route, as the onRoute hook saw it. */
export interface RouteInfo {
  method: string;
  url: string;
}

/** Settings of access control. */
export interface AccessControlOptions {
  auth: AuthService;
  /** When false every caller is an anonymous admin (StepFlow's behaviour before auth existed). */
  enabled: boolean;
  /** Browser origins accepted besides the server's own on cookie-authenticated writes. */
  allowedOrigins: readonly string[];
  requestsPerMinute: number;
  createsPerMinute: number;
  /** Filled with every route registered after this call (tests iterate it). */
  routes?: RouteInfo[];
}

const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin', via: 'anonymous' };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const principals = new WeakMap<FastifyRequest, Principal>();

/** The caller of a request that passed access control (anonymous admin when auth is off). */
export function principalOf(request: FastifyRequest): Principal {
  return principals.get(request) ?? ANONYMOUS;
}

/** Installs the onRoute check (a protected route missing from ROUTE_ACCESS fails start-up) and the onRequest gate; call before any route. */
export function registerAccessControl(app: TypedApp, options: AccessControlOptions): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (isProtectedPath(route.url) && !accessFor(method, route.url)) {
        throw new Error(`route ${method} ${route.url} has no entry in ROUTE_ACCESS (src/http/route-access.ts); every API route must declare its role`);
      }
      options.routes?.push({ method, url: route.url });
    }
  });
  const limits = {
    requests: options.requestsPerMinute > 0 ? createRateLimiter(options.requestsPerMinute) : null,
    creates: options.createsPerMinute > 0 ? createRateLimiter(options.createsPerMinute) : null,
  };
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (!isProtectedPath(path)) return;
    // Unmatched API paths need a key too, so strangers cannot map which routes exist.
    const access = (request.routeOptions.url && accessFor(request.method, request.routeOptions.url)) || { role: 'viewer' as const };
    if (access.role === 'public') {
      if (!access.unlimited) limit(limits.requests, `ip:${request.ip}`, reply);
      return;
    }
    const principal = options.enabled ? await authenticate(options, request, reply) : ANONYMOUS;
    if (!roleAllows(principal.role, access.role)) {
      throw new AppError('forbidden', `the ${principal.role} key "${principal.name}" may not ${request.method} ${path}; it needs the ${access.role} role`);
    }
    principals.set(request, principal);
    applyLimits(limits, access, options.enabled ? `key:${principal.name}` : `ip:${request.ip}`, reply);
  });
}

async function authenticate(options: AccessControlOptions, request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
  const credentials = readCredentials(request.headers);
  const principal = await options.auth.authenticate(credentials);
  if (!principal) {
    void reply.header('www-authenticate', 'Bearer realm="stepflow"');
    const problem = credentials.key !== undefined ? 'the API key is unknown or revoked' : credentials.sessionToken !== undefined ? 'the session has ended; sign in again' : 'an API key is required (Authorization: Bearer <key> or X-API-Key)';
    throw new AppError('unauthorized', problem);
  }
  // A browser sends the cookie on any request to us, so writes carried by it must prove they come from our own pages.
  if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) checkOrigin(request, options.allowedOrigins);
  return principal;
}

/** Refuses a cookie-authenticated write whose Origin is missing or foreign (cross-site request forgery). */
export function checkOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  const origin = request.headers.origin;
  if (origin === undefined) throw new AppError('forbidden', 'a request authenticated by the session cookie must carry an Origin header', 'origin');
  if (!isOriginAllowed(origin, request.headers.host, allowedOrigins)) throw new AppError('forbidden', `origin ${origin} may not make changes with this session`, 'origin');
}

function applyLimits(limits: { requests: RateLimiter | null; creates: RateLimiter | null }, access: RouteAccess, id: string, reply: FastifyReply): void {
  if (!access.unlimited) limit(limits.requests, id, reply);
  if (access.creates) limit(limits.creates, id, reply, 'executions created');
}

function limit(limiter: RateLimiter | null, id: string, reply: FastifyReply, what = 'requests'): void {
  const wait = limiter?.take(id) ?? 0;
  if (wait === 0) return;
  void reply.header('retry-after', String(wait));
  throw new AppError('rate_limited', `too many ${what}; retry in ${wait} s`);
}
