// Owns the health routes: the answer is 200 when every checked part is ok, 503 naming the failing part otherwise.
import type { HealthService } from '../service/health-service.js';
import type { TypedApp } from './typed-app.js';

/** Registers GET /api/health. */
export function registerHealthRoutes(app: TypedApp, health: HealthService): void {
  app.get('/api/health', { schema: { tags: ['health'], summary: 'Checks the database and the storage directory' } }, async (_request, reply) => {
    const report = await health.check();
    const failing = (['database', 'storage', 'websocket'] as const).filter((part) => report[part].status === 'error');
    if (failing.length > 0) {
      void reply.status(503);
      return { success: false, data: report, error: `unhealthy: ${failing.join(', ')}`, code: 'storage_unavailable', timestamp: report.timestamp };
    }
    return { success: true, data: report, error: null, timestamp: report.timestamp };
  });
}
