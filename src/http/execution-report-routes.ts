// Owns the routes that read what a run reported: annotations, step summaries, log pages and the raw log.
import { Readable } from 'node:stream';
import Type from 'typebox';
import type { ExecutionService } from '../service/execution-service.js';
import { ok } from './envelope.js';
import {
  AnnotationPageSchema,
  AnnotationsQuery,
  ErrorEnvelope,
  ExecutionIdParams,
  LogLineSchema,
  LogsQuery,
  RawLogQuery,
  StepSummarySchema,
  WireIdSchema,
  envelope,
} from './schemas.js';
import type { TypedApp } from './typed-app.js';

const errors = { 400: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };
const tags = ['executions'];

/** Registers GET /api/executions/:id/annotations, /summaries, /logs and /logs/raw. */
export function registerExecutionReportRoutes(app: TypedApp, service: ExecutionService): void {
  app.get(
    '/api/executions/:id/annotations',
    {
      schema: {
        tags,
        summary: 'A page of the annotations (error, warning, notice) the script reported, with counts of all of them',
        params: ExecutionIdParams,
        querystring: AnnotationsQuery,
        response: { 200: envelope(AnnotationPageSchema), ...errors },
      },
    },
    async (request) => ok(await service.annotations(request.params.id, request.query)),
  );

  app.get(
    '/api/executions/:id/summaries',
    {
      schema: {
        tags,
        summary: 'The Markdown summaries of the steps (SUMMARY:, $GITHUB_STEP_SUMMARY, task.uploadsummary)',
        params: ExecutionIdParams,
        response: { 200: envelope(Type.Array(StepSummarySchema)), ...errors },
      },
    },
    async (request) => ok(await service.summaries(request.params.id)),
  );

  const LogPage = Type.Object({
    execution_id: WireIdSchema,
    lines: Type.Array(LogLineSchema),
    offset: Type.Integer(),
    limit: Type.Integer(),
    total_lines: Type.Integer(),
    has_more: Type.Boolean(),
    is_running: Type.Boolean(),
  });
  app.get(
    '/api/executions/:id/logs',
    {
      schema: {
        tags,
        summary: 'A page of the log by line offset',
        params: ExecutionIdParams,
        querystring: LogsQuery,
        response: { 200: envelope(LogPage), ...errors },
      },
    },
    async (request) => {
      const { step_id: stepId, ...rest } = request.query;
      return ok(await service.logs(request.params.id, { ...rest, step_id: stepId === 'none' ? null : stepId }));
    },
  );

  app.get(
    '/api/executions/:id/logs/raw',
    {
      schema: {
        tags,
        summary: "The stored log as text/plain (also while running), whole or one step's / one stream's",
        params: ExecutionIdParams,
        querystring: RawLogQuery,
        produces: ['text/plain'],
      },
    },
    async (request, reply) => {
      const { step_id: stepId, stream } = request.query;
      const chunks = await service.rawLog(request.params.id, { step_id: stepId === 'none' ? null : stepId, stream });
      const part = stepId === undefined ? '' : stepId === 'none' ? '-outside-steps' : `-step-${stepId}`;
      void reply
        .type('text/plain; charset=utf-8')
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `inline; filename="execution-${request.params.id}${part}${stream ? `-${stream}` : ''}.log"`,
        );
      return reply.send(Readable.from(chunks));
    },
  );
}
