// Composition of access control for startApp: the auth and audit services, the HTTP gate's settings, and the WebSocket upgrade check.
import type { IncomingMessage } from 'node:http';
import type { Config } from './config/config.js';
import { checkExposure } from './config/check-exposure.js';
import type { Clock } from './core/clock.js';
import type { AccessControlOptions, RouteInfo } from './http/register-access-control.js';
import { createAuditService, type AuditService } from './service/auth/audit-service.js';
import { createAuthService } from './service/auth/auth-service.js';
import { readCredentials } from './service/auth/read-credentials.js';
import type { Store } from './store/store.js';

/** The pieces startApp hands to the HTTP server and the WebSocket hub. */
export interface ComposedAccess {
  access: AccessControlOptions;
  audit: AuditService;
  /** The hub's upgrade check; undefined when auth is off. */
  authenticateUpgrade: ((request: IncomingMessage) => Promise<boolean>) | undefined;
  /** Every route registered on the HTTP server, filled while it is built. */
  routes: RouteInfo[];
}

interface AccessLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Builds access control from Config; logs the --allow-unauthenticated warning and warns when auth has no key to accept. */
export async function composeAccess(config: Config, store: Store, clock: Clock, logger: AccessLogger): Promise<ComposedAccess> {
  for (const warning of checkExposure(config).warnings) logger.warn({ host: config.host }, warning);
  const auth = createAuthService({ store, clock, envApiKey: config.apiKey, sessionMs: config.sessionHours * 3_600_000 });
  if (config.authEnabled && !(await auth.hasAnyKey())) {
    logger.warn({}, 'authentication is on but no API key exists: set STEPFLOW_API_KEY or run `stepflow keys create --name admin --role admin`');
  }
  const routes: RouteInfo[] = [];
  return {
    access: {
      auth,
      enabled: config.authEnabled,
      allowedOrigins: config.allowedOrigins,
      requestsPerMinute: config.rateLimitRequestsPerMinute,
      createsPerMinute: config.rateLimitCreatesPerMinute,
      routes,
    },
    audit: createAuditService(store, clock, logger),
    authenticateUpgrade: config.authEnabled ? async (request) => (await auth.authenticate(readCredentials(request.headers))) !== null : undefined,
    routes,
  };
}
