// Owns the health routes: the checked health (200, or 503 naming the failing part) and the status, metrics, database and optimize figures.
import type { HealthFiguresService } from '../service/health-figures-service.js';
import type { HealthService } from '../service/health-service.js';
import { ok } from './envelope.js';
import { isUnproven } from './register-access-control.js';
import type { TypedApp } from './typed-app.js';

const PARTS = ['database', 'storage', 'websocket'] as const;
const tags = ['health'];

/** Registers GET /api/health. */
export function registerHealthRoutes(app: TypedApp, health: HealthService): void {
  app.get(
    '/api/health',
    {
      schema: {
        tags,
        summary:
          'Checks the database, the storage directory and the WebSocket server (with auth on, details need a key)',
      },
    },
    async (request, reply) => {
      const report = await health.check();
      const failing = PARTS.filter((part) => report[part].status === 'error');
      // Without a key, a load balancer learns up or down, never versions, paths or figures.
      if (isUnproven(request)) {
        if (failing.length > 0) void reply.status(503);
        const data = { status: report.status };
        return failing.length > 0
          ? { success: false, data, error: 'unhealthy', code: 'unhealthy', timestamp: report.timestamp }
          : { success: true, data, error: null, timestamp: report.timestamp };
      }
      if (failing.length > 0) {
        void reply.status(503);
        const reasons = failing.map((part) => `${part} (${report[part].message ?? 'failed'})`);
        return {
          success: false,
          data: report,
          error: `unhealthy: ${reasons.join('; ')}`,
          code: 'unhealthy',
          failing,
          timestamp: report.timestamp,
        };
      }
      return { success: true, data: report, error: null, timestamp: report.timestamp };
    },
  );
}

/**
 * Registers the figure routes under /api/health/... (the contract's base) and again under /health/...,
 * the paths old clients call; the unprefixed copies are left out of the OpenAPI document.
 */
export function registerHealthFigureRoutes(app: TypedApp, figures: HealthFiguresService): void {
  for (const prefix of ['/api', '']) {
    const hide = prefix === '';
    app.get(
      `${prefix}/health/status`,
      { schema: { tags, hide, summary: 'CPU, memory, disk and load; database and WebSocket state' } },
      async () => ok(await figures.status()),
    );
    app.get(
      `${prefix}/health/metrics`,
      { schema: { tags, hide, summary: 'Database size, table counts, pragmas, storage, system figures and uptime' } },
      async () => ok(await figures.metrics()),
    );
    app.get(
      `${prefix}/health/database`,
      { schema: { tags, hide, summary: 'Executions by status, steps, artifacts, size, oldest and newest execution' } },
      async () => ok(await figures.database()),
    );
    app.post(
      `${prefix}/health/optimize`,
      { schema: { tags, hide, summary: 'Runs PRAGMA optimize, ANALYZE and a WAL checkpoint' } },
      async () => ok(await figures.optimize()),
    );
  }
}
