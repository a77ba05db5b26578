// Owns GET /api/search: finds a text (or a regular expression) in every stored log, newest executions first.
import Type from 'typebox';
import type { AuditService } from '../service/auth/audit-service.js';
import type { LogSearch } from '../service/create-log-search.js';
import { ok } from './envelope.js';
import { recordAudit } from './record-audit.js';
import { ErrorEnvelope, ExecutionSchema, ExecutionStatusSchema, LogLineSchema, envelope } from './schemas.js';
import type { TypedApp } from './typed-app.js';

const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 500 }),
    regex: Type.Boolean({ default: false }),
    status: Type.Optional(ExecutionStatusSchema),
    since: Type.Optional(Type.String({ format: 'date-time' })),
    until: Type.Optional(Type.String({ format: 'date-time' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

const SearchMatch = Type.Object({
  line: LogLineSchema,
  step_name: Type.Union([Type.String(), Type.Null()]),
  before: Type.Array(LogLineSchema),
  after: Type.Array(LogLineSchema),
});

const SearchPage = Type.Object({
  query: Type.String(),
  regex: Type.Boolean(),
  executions: Type.Array(
    Type.Object({
      execution: ExecutionSchema,
      match_count: Type.Integer(),
      more_matches: Type.Boolean(),
      matches: Type.Array(SearchMatch),
    }),
  ),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  partial: Type.Boolean(),
  searched_executions: Type.Integer(),
  searched_chunks: Type.Integer(),
  skipped_chunks: Type.Integer(),
});

/** Registers the cross-run search; every search is recorded in the audit trail with its query and filters. */
export function registerSearchRoutes(app: TypedApp, search: LogSearch, audit: AuditService | undefined): void {
  const schema = {
    tags: ['executions'],
    summary: 'Find a text or regular expression in every stored log (case-insensitive), newest executions first',
    querystring: SearchQuery,
    response: { 200: envelope(SearchPage), 400: ErrorEnvelope, 429: ErrorEnvelope },
  };
  app.get('/api/search', { schema }, async (request) => {
    const { since, until, ...rest } = request.query;
    const page = await search.search({
      ...rest,
      since: since === undefined ? undefined : Date.parse(since),
      until: until === undefined ? undefined : Date.parse(until),
    });
    await recordAudit(audit, request, 'search', null, {
      ...request.query,
      executions: page.executions.length,
      partial: page.partial,
    });
    return ok(page);
  });
}
