// Owns GET /api/executions/{id}/logs/search: finds a text in the whole stored log, so the dashboard's search is not limited to loaded rows.
import Type from 'typebox';
import type { ExecutionService } from '../service/execution-service.js';
import { ok } from './envelope.js';
import { ErrorEnvelope, ExecutionIdParams, WireIdSchema, envelope } from './schemas.js';
import type { TypedApp } from './typed-app.js';

const PAGE = 10_000;
// Escape sequences (CSI and OSC) are not visible text, so a search must not match inside them.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;

/** The text a viewer shows for a stored line: escapes removed, only what follows the last carriage return. */
export function visibleText(content: string): string {
  const plain = content.replace(ESCAPES, '');
  const trimmed = plain.endsWith('\r') ? plain.slice(0, -1) : plain;
  const cut = trimmed.lastIndexOf('\r');
  return cut === -1 ? trimmed : trimmed.slice(cut + 1);
}

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
  app.get('/api/executions/:id/logs/search', { schema: { tags: ['executions'], summary: 'Find lines containing a text in the whole log (case-insensitive)', params: ExecutionIdParams, querystring: SearchQuery, response: { 200: envelope(SearchResult), 400: ErrorEnvelope, 404: ErrorEnvelope } } }, async (request) => {
    const { q, max_matches: maxMatches, step_id: stepId, stream } = request.query;
    const needle = q.toLowerCase();
    const offsets: number[] = [];
    const lines: number[] = [];
    let total = 0;
    let offset = 0;
    for (;;) {
      const page = await service.logs(request.params.id, { offset, limit: PAGE, step_id: stepId === 'none' ? null : stepId, stream });
      page.lines.forEach((line, index) => {
        if (!visibleText(line.content).toLowerCase().includes(needle)) return;
        total += 1;
        if (offsets.length < maxMatches) {
          offsets.push(offset + index);
          lines.push(line.line);
        }
      });
      offset += page.lines.length;
      if (!page.has_more || page.lines.length === 0) break;
    }
    return ok({ execution_id: String(request.params.id), query: q, offsets, lines, total_matches: total, truncated: total > offsets.length, searched_lines: offset });
  });
}
