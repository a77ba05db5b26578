// Owns the Fastify app: validation settings, error envelope, OpenAPI document and route registration.
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.js';
import type { ArtifactService } from '../service/artifacts/artifact-service.js';
import type { AuditService } from '../service/auth/audit-service.js';
import type { LogSearch } from '../service/create-log-search.js';
import type { ExecutionService } from '../service/execution-service.js';
import type { HealthFiguresService } from '../service/health-figures-service.js';
import type { HealthService } from '../service/health-service.js';
import type { MetricsService } from '../service/metrics-service.js';
import type { ReadRouting } from '../service/read-routing.js';
import { registerAgentRoutes } from './agent-routes.js';
import { registerArtifactRoutes } from './artifact-routes.js';
import { registerAuditRoutes } from './audit-routes.js';
import { checkBodyDepth } from './check-body-depth.js';
import { createSerializerCompiler } from './create-serializer-compiler.js';
import { createValidatorCompiler } from './create-validator-compiler.js';
import { stampEnvelopes } from './envelope.js';
import { errorEnvelope, handleError } from './errors.js';
import { registerExecutionReportRoutes } from './execution-report-routes.js';
import { registerExecutionRoutes } from './execution-routes.js';
import { registerHealthFigureRoutes, registerHealthRoutes } from './health-routes.js';
import { registerMetricsRoutes } from './metrics-routes.js';
import { registerLogSearchRoutes } from './log-search-routes.js';
import { registerAccessControl, type AccessControlOptions } from './register-access-control.js';
import { routeReads } from './route-reads.js';
import { registerSearchRoutes } from './search-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { registerStaticRoutes } from './static-routes.js';
import type { TypedApp } from './typed-app.js';

/** What the HTTP layer is built from. */
export interface HttpServerOptions {
  service: ExecutionService;
  /** The cross-run log search (GET /api/search). */
  search: LogSearch;
  /** The artifact routes are registered only when given. */
  artifacts?: ArtifactService;
  health: HealthService;
  healthFigures: HealthFiguresService;
  metrics: MetricsService;
  logger: FastifyBaseLogger;
  /** The server's clock: running durations and session lifetimes are reckoned from it. */
  clock: Clock;
  version: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Who may call what; when absent, auth is off and nothing is limited. */
  access?: AccessControlOptions;
  /** Where creations, cancels, re-runs, deletes and searches are recorded. */
  audit?: AuditService;
  /** With a read replica: which requests' reads it may answer (absent: every read goes to the primary). */
  reads?: ReadRouting | undefined;
}

/** Builds the Fastify app with every route registered; the caller listens. */
export async function createHttpServer(options: HttpServerOptions): Promise<TypedApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    // One debug line per request is written by the onResponse hook below, not Fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
    done();
  });
  // Bodies are JSON only: anything else (text/plain included, which Fastify parses by default) gets 415.
  app.removeContentTypeParser('text/plain');
  // Generic clients (the old UI's Cancel among them) POST with Content-Type: application/json and no body: that is an empty object.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, {});
    parseJson(request, String(body), done);
  });
  // Deep nesting would make validation, storage and serialization recurse until the stack overflows (a 500).
  app.addHook('preValidation', async (request) => checkBodyDepth(request.body));
  app.setValidatorCompiler(createValidatorCompiler());
  app.setSerializerCompiler(createSerializerCompiler());
  app.setErrorHandler(handleError);
  stampEnvelopes(app, options.clock);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(errorEnvelope('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'StepFlow API',
        version: options.version,
        description: 'Run scripts, follow their steps and logs, keep their artifacts.',
      },
      tags: [{ name: 'executions' }, { name: 'artifacts' }, { name: 'health' }, { name: 'session' }, { name: 'audit' }],
    },
  });
  // Before every route, so its onRoute check sees them all and no request reaches a handler unchecked.
  if (options.access) registerAccessControl(app, options.access);
  if (options.reads) routeReads(app, options.reads);
  // First, so its timing hook sees every route registered after it.
  registerMetricsRoutes(app, options.metrics);
  registerExecutionRoutes(app, options.service, options.clock, options.audit);
  registerExecutionReportRoutes(app, options.service);
  registerAgentRoutes(app, options.service);
  if (options.artifacts) {
    const agents = options.service.agents;
    await registerArtifactRoutes(app, options.artifacts, options.audit, (request, caller) =>
      agents.authorizeUpload(request, caller),
    );
  }
  if (options.access) registerSessionRoutes(app, options.access);
  if (options.audit) registerAuditRoutes(app, options.audit);
  registerHealthRoutes(app, options.health);
  registerHealthFigureRoutes(app, options.healthFigures);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerLogSearchRoutes(app, options.service);
  registerSearchRoutes(app, options.search, options.audit);
  // Last: its catch-all serves the dashboard for client routes and leaves unknown /api paths a JSON 404.
  await registerStaticRoutes(app);
  return app;
}
