// Owns /api/session: signing in with a key (sets the HttpOnly, SameSite=Strict cookie), who am I, and signing out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import type { Clock } from '../core/clock.js';
import type { AuthService, Principal } from '../service/auth/auth-service.js';
import { readSessionCookie, SESSION_COOKIE } from '../service/auth/read-credentials.js';
import { ok } from './envelope.js';
import type { OriginPolicy } from '../service/auth/origin-policy.js';
import type { RateLimiter } from './create-rate-limiter.js';
import { checkOrigin, countFailure, principalOf, refuseWhenOutOfFailures } from './register-access-control.js';
import type { TypedApp } from './typed-app.js';

/** What the session routes need. */
export interface SessionRouteOptions {
  auth: AuthService;
  enabled: boolean;
  origins: OriginPolicy;
  failures: RateLimiter | null;
  clock: Clock;
}

const tags = ['session'];

// Behind a TLS proxy the request arrives as http; the forwarded header can only add Secure, which a spoofer gains nothing from.
function isHttps(request: FastifyRequest): boolean {
  return (
    request.protocol === 'https' ||
    String(request.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      ?.trim() === 'https'
  );
}

function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${isHttps(request) ? '; Secure' : ''}`;
}

function describe(principal: Principal, enabled: boolean, expiresAt: number | null = null) {
  return {
    auth_enabled: enabled,
    name: principal.name,
    role: principal.role,
    via: principal.via,
    expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
  };
}

/** Registers POST, GET and DELETE /api/session. */
export function registerSessionRoutes(app: TypedApp, options: SessionRouteOptions): void {
  // No body schema: a missing or malformed body must answer 401 like any other unauthenticated call, not 400.
  app.post(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in with an API key (body {"key": "..."}); answers who you are and sets the session cookie',
      },
    },
    async (request, reply) => {
      if (!options.enabled) return ok(describe(principalOf(request), false));
      // Login CSRF: a foreign page must not sign a browser in under the attacker's key.
      if (request.headers.origin !== undefined) checkOrigin(request, options.origins);
      const raw = (request.body as { key?: unknown } | null | undefined)?.key;
      const key = typeof raw === 'string' && raw.length <= 512 ? raw.trim() : '';
      if (!key) throw new AppError('unauthorized', 'an API key is required to sign in', 'key');
      refuseWhenOutOfFailures(options.failures, request.ip, reply);
      const session = await options.auth.startSession(key).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'unauthorized') countFailure(options.failures, request.ip);
        throw error;
      });
      void reply.header(
        'set-cookie',
        cookie(request, session.token, Math.floor((session.expiresAt - options.clock.now()) / 1000)),
      );
      return ok(describe(session.principal, true, session.expiresAt));
    },
  );

  app.get(
    '/api/session',
    { schema: { tags, summary: 'Who the request is authenticated as (role, key name)' } },
    async (request) => ok(describe(principalOf(request), options.enabled)),
  );

  app.delete(
    '/api/session',
    { schema: { tags, summary: 'Sign out: ends the session and clears its cookie' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const token = readSessionCookie(request.headers.cookie);
      if (token !== undefined) await options.auth.endSession(token);
      void reply.header('set-cookie', cookie(request, '', 0));
      return ok({ message: 'signed out' });
    },
  );
}
