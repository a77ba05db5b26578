// Owns enforcing access on every request: the Host and Origin guards, who is calling (key or session cookie), their role on the matched route, and rate limits.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import { roleAllows } from '../core/role.js';
import type { AuthService, Principal } from '../service/auth/auth-service.js';
import type { OriginPolicy } from '../service/auth/origin-policy.js';
import { schemeOf } from '../service/auth/origin-policy.js';
import { readCredentials } from '../service/auth/read-credentials.js';
import { createRateLimiter, type RateLimiter } from './create-rate-limiter.js';
import {
  accessFor,
  isDashboardRoute,
  resolveAccess,
  type DashboardRouteConfig,
  type RouteAccess,
} from './route-access.js';
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
  /** The Host and browser Origin guards (DNS rebinding, cross-site writes). */
  origins: OriginPolicy;
  requestsPerMinute: number;
  createsPerMinute: number;
  /** Failed authentications per client address (`ip:<address>`); past its allowance the address gets 429. Null: unlimited. */
  failures: RateLimiter | null;
  /** With auth off, accept agents from any address (--allow-unauthenticated); otherwise only from loopback. */
  agentsFromAnywhere?: boolean;
  /** Filled with every route registered after this call (tests iterate it). */
  routes?: RouteInfo[];
  /** The server's clock, which rate-limit windows and session lifetimes are reckoned by. */
  clock: Clock;
}

interface Limits {
  requests: RateLimiter | null;
  creates: RateLimiter | null;
}

const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin', via: 'anonymous' };
const ANONYMOUS_AGENT: Principal = { name: 'anonymous', role: 'agent', via: 'anonymous' };
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const principals = new WeakMap<FastifyRequest, Principal>();
const unproven = new WeakSet<FastifyRequest>();

/** The caller of a request that passed access control (anonymous admin when auth is off). */
export function principalOf(request: FastifyRequest): Principal {
  return principals.get(request) ?? ANONYMOUS;
}

/** True when auth is on and the request reached a public route without proving who it is (it gets the public answer only). */
export function isUnproven(request: FastifyRequest): boolean {
  return unproven.has(request);
}

/** Installs the onRoute check (a route that is neither in ROUTE_ACCESS nor the dashboard's fails start-up) and the onRequest gate; call before any route. */
export function registerAccessControl(app: TypedApp, options: AccessControlOptions): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (
        !accessFor(method, route.url) &&
        !isDashboardRoute(method, route.config as DashboardRouteConfig | undefined)
      ) {
        throw new Error(
          `route ${method} ${route.url} has no entry in ROUTE_ACCESS (src/http/route-access.ts); every route must declare its role`,
        );
      }
      options.routes?.push({ method, url: route.url });
    }
  });
  const perMinute = (n: number): RateLimiter | null => (n > 0 ? createRateLimiter(n, () => options.clock.now()) : null);
  const limits: Limits = {
    requests: perMinute(options.requestsPerMinute),
    creates: perMinute(options.createsPerMinute),
  };
  app.addHook('onRequest', async (request, reply) => {
    checkHostAndOrigin(request, options.origins);
    const path = request.url.split('?')[0] ?? '/';
    const access = resolveAccess(
      request.method,
      request.routeOptions.url,
      request.routeOptions.config as DashboardRouteConfig | undefined,
      path,
    );
    if (access === null) throw new AppError('forbidden', `${request.method} ${path} has no access rule; it is refused`);
    if (access.role === 'public') {
      if (!access.unlimited) limit(limits.requests, `ip:${request.ip}`, reply);
      if (options.enabled) await identifyOptionally(options.auth, request);
      return;
    }
    const principal = options.enabled
      ? await authenticate(options, request, reply)
      : access.role === 'agent'
        ? anonymousAgent(request, options)
        : ANONYMOUS;
    if (!roleAllows(principal.role, access.role)) {
      throw new AppError(
        'forbidden',
        `the ${principal.role} key "${principal.name}" may not ${request.method} ${path}; it needs the ${access.role} role`,
      );
    }
    principals.set(request, principal);
    applyLimits(limits, access, options.enabled ? `key:${principal.name}` : `ip:${request.ip}`, reply);
  });
}

/** With auth off anyone who reaches the agent routes could take executions and their environments: loopback only, unless allowed. */
function anonymousAgent(request: FastifyRequest, options: AccessControlOptions): Principal {
  if (options.agentsFromAnywhere !== true && !LOOPBACK.test(request.ip)) {
    throw new AppError(
      'forbidden',
      `authentication is off, so agents are accepted only from loopback, not ${request.ip}: turn auth on and give the agent a key of role agent, or start the server with --allow-unauthenticated`,
    );
  }
  return ANONYMOUS_AGENT;
}

/** Refuses a request whose Host is not one of ours (421) and a state-changing request from a foreign browser Origin (403). */
function checkHostAndOrigin(request: FastifyRequest, origins: OriginPolicy): void {
  if (!origins.isHostAllowed(request.headers.host)) {
    throw new AppError(
      'host_not_allowed',
      `Host ${JSON.stringify(request.headers.host ?? '')} is not one of this server's names; add it to STEPFLOW_ALLOWED_HOSTS`,
      'host',
    );
  }
  if (!SAFE_METHODS.has(request.method) && request.headers.origin !== undefined) checkOrigin(request, origins);
}

/** Refuses a request whose browser Origin is foreign: another site, or our host over another scheme. */
export function checkOrigin(request: FastifyRequest, origins: OriginPolicy): void {
  const origin = request.headers.origin;
  if (origin === undefined)
    throw new AppError(
      'forbidden',
      'a request authenticated by the session cookie must carry an Origin header',
      'origin',
    );
  const target = {
    host: request.headers.host,
    scheme: schemeOf(request.protocol === 'https', request.headers['x-forwarded-proto']),
  };
  if (!origins.isOriginAllowed(origin, target))
    throw new AppError(
      'forbidden',
      `origin ${origin} may not make changes here; add it to STEPFLOW_ALLOWED_ORIGINS if it is yours`,
      'origin',
    );
}

// A public route answers more to a caller with a valid key; a wrong key there is not an error (health probes send none).
async function identifyOptionally(auth: AuthService, request: FastifyRequest): Promise<void> {
  const principal = await auth.authenticate(readCredentials(request.headers));
  if (principal) principals.set(request, principal);
  else unproven.add(request);
}

async function authenticate(
  options: AccessControlOptions,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Principal> {
  const { failures } = options;
  const credentials = readCredentials(request.headers);
  const presented = credentials.key !== undefined || credentials.sessionToken !== undefined;
  // Guessing keys costs a failure each; an address out of failures is refused before its next guess is even checked.
  if (presented) refuseWhenOutOfFailures(failures, request.ip, reply);
  const principal = await options.auth.authenticate(credentials);
  if (!principal) {
    if (presented) countFailure(failures, request.ip);
    void reply.header('www-authenticate', 'Bearer realm="stepflow"');
    const problem =
      credentials.key !== undefined
        ? 'the API key is unknown or revoked'
        : credentials.sessionToken !== undefined
          ? 'the session has ended; sign in again'
          : 'an API key is required (Authorization: Bearer <key> or X-API-Key)';
    throw new AppError('unauthorized', problem);
  }
  // A browser sends the cookie on any request to us, so writes carried by it must prove they come from our own pages.
  if (principal.via === 'session' && !SAFE_METHODS.has(request.method)) checkOrigin(request, options.origins);
  return principal;
}

/** Answers 429 when the client address has used up its failed authentications. */
export function refuseWhenOutOfFailures(failures: RateLimiter | null, ip: string, reply: FastifyReply): void {
  const wait = failures?.wait(`ip:${ip}`) ?? 0;
  if (wait === 0) return;
  void reply.header('retry-after', String(wait));
  throw new AppError('rate_limited', `too many failed authentications from ${ip}; retry in ${wait} s`);
}

/** Counts one failed authentication against the client address. */
export function countFailure(failures: RateLimiter | null, ip: string): void {
  failures?.take(`ip:${ip}`);
}

function applyLimits(limits: Limits, access: RouteAccess, id: string, reply: FastifyReply): void {
  if (!access.unlimited) limit(limits.requests, id, reply);
  if (access.creates) limit(limits.creates, id, reply, 'executions created');
}

function limit(limiter: RateLimiter | null, id: string, reply: FastifyReply, what = 'requests'): void {
  const wait = limiter?.take(id) ?? 0;
  if (wait === 0) return;
  void reply.header('retry-after', String(wait));
  throw new AppError('rate_limited', `too many ${what}; retry in ${wait} s`);
}
