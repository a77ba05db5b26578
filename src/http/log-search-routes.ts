// Owns GET /api/executions/{id}/logs/search: parses the query and hands it to the service's log search.
import Type from 'typebox';
import type { ExecutionService } from '../service/execution-service.js';
import { ok } from './envelope.js';
import { ErrorEnvelope, ExecutionIdParams, WireIdSchema, envelope } from './schemas.js';
import type { TypedApp } from './typed-app.js';

const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 500 }),
    step_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('none')])),
    // The same stream filter as GET logs, so offsets found here are offsets of the viewer's filtered selection.
    stream: Type.Optional(Type.Union([Type.Literal('stdout'), Type.Literal('stderr'), Type.Literal('system')])),
    max_matches: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  },
  { additionalProperties: false },
);

const SearchResult = Type.Object({
  execution_id: WireIdSchema,
  query: Type.String(),
  /** Positions of matching lines within the selection (the same offsets GET logs pages by). */
  offsets: Type.Array(Type.Integer()),
  /** Line numbers of those matches. */
  lines: Type.Array(Type.Integer()),
  total_matches: Type.Integer(),
  truncated: Type.Boolean(),
  searched_lines: Type.Integer(),
});

/** Registers the log search route: case-insensitive, over visible text, paged through the store so memory stays flat. */
export function registerLogSearchRoutes(app: TypedApp, service: ExecutionService): void {
  app.get(
    '/api/executions/:id/logs/search',
    {
      schema: {
        tags: ['executions'],
        summary: 'Find lines containing a text in the whole log (case-insensitive)',
        params: ExecutionIdParams,
        querystring: SearchQuery,
        response: { 200: envelope(SearchResult), 400: ErrorEnvelope, 404: ErrorEnvelope },
      },
    },
    async (request) => {
      const { q, max_matches: maxMatches, step_id: stepId, stream } = request.query;
      return ok(
        await service.searchLog(request.params.id, {
          query: q,
          step_id: stepId === 'none' ? null : stepId,
          stream,
          max_matches: maxMatches,
        }),
      );
    },
  );
}
