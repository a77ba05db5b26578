// Owns GET /api/audit: the audit trail of who created, cancelled, re-ran and deleted what, newest first.
import Type from 'typebox';
import type { AuditService } from '../service/auth/audit-service.js';
import { wireIdOrNull } from '../service/to-wire.js';
import { ok } from './envelope.js';
import type { TypedApp } from './typed-app.js';

const AuditQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    execution_id: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** Registers the audit route (admin only, see route-access.ts). */
export function registerAuditRoutes(app: TypedApp, audit: AuditService): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Who created, cancelled, re-ran and deleted what, newest first',
        querystring: AuditQuery,
      },
    },
    async (request) => {
      const query = request.query;
      const page = await audit.list(query);
      return ok({
        entries: page.entries.map((entry) => ({
          ...entry,
          id: String(entry.id),
          execution_id: wireIdOrNull(entry.execution_id),
          at: new Date(entry.at).toISOString(),
        })),
        total_count: page.total_count,
        has_more: query.offset + page.entries.length < page.total_count,
        limit: query.limit,
        offset: query.offset,
      });
    },
  );
}
