// Owns the /api/executions routes: parse the request, call the service, shape the response.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExecutionRecord } from '../core/execution.js';
import Type from 'typebox';
import type { Clock } from '../core/clock.js';
import type { AuditService } from '../service/auth/audit-service.js';
import type { ExecutionService } from '../service/execution-service.js';
import { toWireArtifact, toWireExecution, toWireStep } from '../service/to-wire.js';
import { ok } from './envelope.js';
import { recordAudit } from './record-audit.js';
import { principalOf } from './register-access-control.js';
import {
  ErrorEnvelope,
  ArtifactSchema,
  CreateExecutionBody,
  DeleteExecutionQuery,
  ExecutionIdParams,
  ExecutionSchema,
  ListExecutionsQuery,
  StepSchema,
  WireIdSchema,
  envelope,
} from './schemas.js';
import type { TypedApp } from './typed-app.js';

const errors = { 400: ErrorEnvelope, 404: ErrorEnvelope, 409: ErrorEnvelope };
const tags = ['executions'];

/** The key's name when the caller authenticated (it cannot claim another), else what the body says. */
function userOf(request: FastifyRequest, claimed?: string | null): string | null | undefined {
  const principal = principalOf(request);
  return principal.via === 'anonymous' ? claimed : principal.name;
}

function parseTime(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(value);
}

/** Answers 201 with the new execution in both contracts' shapes (`execution_id` and the old tool's `id`). */
function created(reply: FastifyReply, record: ExecutionRecord, clock: Clock) {
  const execution = toWireExecution(record, clock.now());
  void reply.status(201).header('location', `/api/executions/${record.id}`);
  return ok({
    execution_id: execution.id,
    id: execution.id,
    status: record.status,
    created_at: execution.created_at,
    execution,
  });
}

/** Registers every execution route on the app; creations, cancels, re-runs and deletes are recorded in `audit` when given. */
export function registerExecutionRoutes(
  app: TypedApp,
  service: ExecutionService,
  clock: Clock,
  audit?: AuditService,
): void {
  const ListData = Type.Object({
    executions: Type.Array(ExecutionSchema),
    total_count: Type.Integer(),
    has_more: Type.Boolean(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
  app.get(
    '/api/executions',
    {
      schema: {
        tags,
        summary: 'List executions, newest first',
        querystring: ListExecutionsQuery,
        response: { 200: envelope(ListData), 400: ErrorEnvelope },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await service.list({
        ...query,
        created_after: parseTime(query.created_after),
        created_before: parseTime(query.created_before),
      });
      const now = clock.now();
      return ok({
        executions: page.executions.map((record) => toWireExecution(record, now)),
        total_count: page.total_count,
        has_more: query.offset + page.executions.length < page.total_count,
        limit: query.limit,
        offset: query.offset,
      });
    },
  );

  const Created = Type.Object({
    execution_id: WireIdSchema,
    id: WireIdSchema,
    status: Type.String(),
    created_at: Type.String(),
    execution: ExecutionSchema,
  });
  app.post(
    '/api/executions',
    {
      schema: {
        tags,
        summary: 'Create an execution; answers at once, the run is queued',
        body: CreateExecutionBody,
        response: { 201: envelope(Created), 400: ErrorEnvelope, 415: ErrorEnvelope, 503: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const record = await service.create({ ...request.body, user: userOf(request, request.body.user) });
      await recordAudit(audit, request, 'create', record.id);
      return created(reply, record, clock);
    },
  );

  app.get(
    '/api/executions/active',
    {
      schema: {
        tags,
        summary: 'Running and pending executions',
        response: { 200: envelope(Type.Array(ExecutionSchema)) },
      },
    },
    async () => {
      const now = clock.now();
      return ok((await service.active()).map((record) => toWireExecution(record, now)));
    },
  );

  const Stats = Type.Object({
    total_executions: Type.Integer(),
    active_now: Type.Integer(),
    success_rate: Type.Number(),
    avg_duration: Type.Number(),
    by_status: Type.Record(Type.String(), Type.Integer()),
    running_now: Type.Integer(),
    queued_now: Type.Integer(),
  });
  app.get(
    '/api/executions/statistics',
    { schema: { tags, summary: 'Totals over every stored execution', response: { 200: envelope(Stats) } } },
    async () => ok(await service.statistics()),
  );

  const Detail = Type.Object({
    execution: ExecutionSchema,
    steps: Type.Array(StepSchema),
    artifacts: Type.Array(ArtifactSchema),
  });
  app.get(
    '/api/executions/:id',
    {
      schema: {
        tags,
        summary: 'One execution with its steps and artifacts',
        params: ExecutionIdParams,
        response: { 200: envelope(Detail), ...errors },
      },
    },
    async (request) => {
      const detail = await service.get(request.params.id);
      const now = clock.now();
      return ok({
        execution: toWireExecution(detail.execution, now),
        steps: detail.steps.map((step) => toWireStep(step, now)),
        artifacts: detail.artifacts.map(toWireArtifact),
      });
    },
  );

  app.delete(
    '/api/executions/:id',
    {
      schema: {
        tags,
        summary: 'Delete an execution, its logs and artifact files (force=true cancels a running one first)',
        params: ExecutionIdParams,
        querystring: DeleteExecutionQuery,
        response: { 200: envelope(Type.Object({ message: Type.String() })), ...errors },
      },
    },
    async (request) => {
      await service.delete(request.params.id, request.query.force);
      await recordAudit(audit, request, 'delete', request.params.id);
      return ok({ message: `execution ${request.params.id} deleted` });
    },
  );

  app.post(
    '/api/executions/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a pending or running execution; answers once it has stopped',
        params: ExecutionIdParams,
        response: { 200: envelope(Type.Object({ message: Type.String(), execution: ExecutionSchema })), ...errors },
      },
    },
    async (request) => {
      const record = await service.cancel(request.params.id);
      await recordAudit(audit, request, 'cancel', record.id);
      return ok({
        message: `execution ${record.id} ${record.status}`,
        execution: toWireExecution(record, clock.now()),
      });
    },
  );

  app.post(
    '/api/executions/:id/rerun',
    {
      schema: {
        tags,
        summary: "Create a new execution from this one's command, directory, environment, tags, name and timeout",
        params: ExecutionIdParams,
        response: { 201: envelope(Created), ...errors, 503: ErrorEnvelope },
      },
    },
    async (request, reply) => {
      const record = await service.rerun(request.params.id, userOf(request) ?? undefined);
      await recordAudit(audit, request, 'rerun', record.id, { rerun_of: String(request.params.id) });
      return created(reply, record, clock);
    },
  );
}
