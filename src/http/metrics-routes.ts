// Owns GET /metrics (Prometheus text format) and the hook that times every HTTP request by its route pattern.
import type { MetricsService } from '../service/metrics-service.js';
import type { TypedApp } from './typed-app.js';

/** Label of requests that matched no route: the raw URL would give every scanner probe its own series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Times every request into the HTTP histogram and serves GET /metrics; call before registering other routes. */
export function registerMetricsRoutes(app: TypedApp, metrics: MetricsService): void {
  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (`/api/executions/:id`), never the URL, keeps the label set bounded.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    { schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format, not the JSON envelope)' } },
    async (_request, reply) => {
      const text = await metrics.render();
      return reply.type(metrics.contentType).send(text);
    },
  );
}
