// Composition of access control for startApp: the auth and audit services, the Host/Origin policy, the HTTP gate's settings, and the WebSocket upgrade check.
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import type { Config } from './config/config.js';
import { checkExposure } from './config/check-exposure.js';
import type { Clock } from './core/clock.js';
import { createRateLimiter } from './http/create-rate-limiter.js';
import type { AccessControlOptions, RouteInfo } from './http/register-access-control.js';
import { createAuditService, type AuditService } from './service/auth/audit-service.js';
import { createAuthService, type AuthService } from './service/auth/auth-service.js';
import { createOriginPolicy, type OriginPolicy } from './service/auth/origin-policy.js';
import { readCredentials } from './service/auth/read-credentials.js';
import type { Store } from './store/store.js';
import type { UpgradeVerdict } from './ws/ws-hub.js';

/** The pieces startApp hands to the HTTP server and the WebSocket hub. */
export interface ComposedAccess {
  access: AccessControlOptions;
  audit: AuditService;
  origins: OriginPolicy;
  /** The hub's upgrade check; undefined when auth is off. */
  authenticateUpgrade: ((request: IncomingMessage) => Promise<UpgradeVerdict>) | undefined;
  /** Every route registered on the HTTP server, filled while it is built. */
  routes: RouteInfo[];
  /** Tells the Origin policy which port the dashboard is served on, once the server listens. */
  setHttpPort(port: number): void;
}

interface AccessLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function asHostName(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The names a server bound to `config.host` answers to: loopback, its bind addresses, and every local address when bound to all of them. */
export function ownHostNames(config: Pick<Config, 'host' | 'websocketHost'>): string[] {
  const names = new Set([...LOOPBACK_NAMES, asHostName(config.host), asHostName(config.websocketHost)]);
  if ([config.host, config.websocketHost].some((host) => host === '0.0.0.0' || host === '::')) {
    names.add(hostname().toLowerCase());
    for (const entries of Object.values(networkInterfaces()))
      for (const entry of entries ?? []) names.add(asHostName(entry.address));
  }
  return [...names];
}

/** The Host names checked: the configured list, else (auth off) the server's own names, else (auth on, behind a proxy) none. */
function checkedHosts(config: Config): readonly string[] | null {
  if (config.allowedHosts.length > 0) return config.allowedHosts;
  return config.authEnabled ? null : ownHostNames(config);
}

/** Builds access control from Config; logs the --allow-unauthenticated warning and warns when auth has no key to accept. */
export async function composeAccess(
  config: Config,
  store: Store,
  clock: Clock,
  logger: AccessLogger,
): Promise<ComposedAccess> {
  for (const warning of checkExposure(config).warnings) logger.warn({ host: config.host }, warning);
  const auth = createAuthService({
    store,
    clock,
    envApiKey: config.apiKey,
    sessionMs: config.sessionHours * 3_600_000,
  });
  if (config.authEnabled && !(await auth.hasAnyKey())) {
    logger.warn(
      {},
      'authentication is on but no API key exists: set STEPFLOW_API_KEY or run `stepflow keys create --name admin --role admin`',
    );
  }
  let httpPort: number | null = null;
  const origins = createOriginPolicy({
    allowedHosts: checkedHosts(config),
    ownNames: ownHostNames(config),
    allowedOrigins: config.allowedOrigins,
    httpPort: () => httpPort,
  });
  const failures =
    config.authFailuresPerMinute > 0 ? createRateLimiter(config.authFailuresPerMinute, () => clock.now()) : null;
  const routes: RouteInfo[] = [];
  return {
    access: {
      auth,
      enabled: config.authEnabled,
      origins,
      failures,
      routes,
      clock,
      agentsFromAnywhere: config.allowUnauthenticated,
      requestsPerMinute: config.rateLimitRequestsPerMinute,
      createsPerMinute: config.rateLimitCreatesPerMinute,
    },
    audit: createAuditService(store, clock, logger),
    origins,
    authenticateUpgrade: config.authEnabled ? createUpgradeCheck(auth, failures) : undefined,
    routes,
    setHttpPort: (port) => (httpPort = port),
  };
}

/** The WebSocket upgrade check: credentials as on HTTP, failures counted per address, and a re-check so a revoked key's socket is closed. */
function createUpgradeCheck(
  auth: AuthService,
  failures: ReturnType<typeof createRateLimiter> | null,
): (request: IncomingMessage) => Promise<UpgradeVerdict> {
  return async (request) => {
    const ip = `ip:${request.socket.remoteAddress ?? ''}`;
    const retryAfter = failures?.wait(ip) ?? 0;
    if (retryAfter > 0) return { allowed: false, status: 429, retryAfter };
    const credentials = readCredentials(request.headers);
    const principal = await auth.authenticate(credentials);
    if (principal === null) {
      if (credentials.key !== undefined || credentials.sessionToken !== undefined) failures?.take(ip);
      return { allowed: false, status: 401 };
    }
    // The live feed shows every execution; an agent key may see only the executions it holds, over its own routes.
    if (principal.role === 'agent') return { allowed: false, status: 403 };
    return { allowed: true, stillValid: async () => (await auth.authenticate(credentials)) !== null };
  };
}
