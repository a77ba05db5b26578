// Owns the Fastify app: validation settings, error envelope, OpenAPI document and route registration.
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { ExecutionService } from '../service/execution-service.js';
import type { HealthService } from '../service/health-service.js';
import { createValidatorCompiler } from './create-validator-compiler.js';
import { errorEnvelope, handleError } from './errors.js';
import { registerExecutionRoutes } from './execution-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import type { TypedApp } from './typed-app.js';

/** What the HTTP layer is built from. */
export interface HttpServerOptions {
  service: ExecutionService;
  health: HealthService;
  logger: FastifyBaseLogger;
  version: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
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
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request');
    done();
  });
  // Bodies are JSON only: anything else (text/plain included, which Fastify parses by default) gets 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(createValidatorCompiler());
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorEnvelope('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'StepFlow API', version: options.version, description: 'Run scripts, follow their steps and logs, keep their artifacts.' },
      tags: [{ name: 'executions' }, { name: 'health' }],
    },
  });
  registerExecutionRoutes(app, options.service);
  registerHealthRoutes(app, options.health);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
