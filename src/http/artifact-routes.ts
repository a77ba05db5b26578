// Owns the /api/artifacts routes: list, get, download (with Range), multipart upload and delete; and agents' uploads (/api/agent/artifacts).
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AppError } from '../core/app-error.js';
import type { ArtifactService } from '../service/artifacts/artifact-service.js';
import type { AuditService } from '../service/auth/audit-service.js';
import type { UploadPart } from '../service/artifacts/receive-upload.js';
import { toWireArtifact } from '../service/to-wire.js';
import { contentDisposition } from './content-disposition.js';
import { isBusboyParseError, MAX_FIELD_BYTES, toUploadError, uploadParts } from './multipart-parts.js';
import { ok } from './envelope.js';
import { parseByteRange } from './parse-byte-range.js';
import { recordAudit } from './record-audit.js';
import { principalOf } from './register-access-control.js';
import { ArtifactIdParams, ArtifactSchema, ErrorEnvelope, ListArtifactsQuery, envelope } from './schemas.js';
import type { TypedApp } from './typed-app.js';

const tags = ['artifacts'];
const errors = { 400: ErrorEnvelope, 404: ErrorEnvelope };

/** Checks an agent's upload before its file is read: the agent holds the execution; answers the step's id for `step_index`. */
export type AgentUploadGate = (
  request: { session: string; execution_id: string; step_index: number | null },
  caller: { key: string; address: string },
) => Promise<number | null>;

/** Registers every artifact route, with multipart parsing limited to this scope. */
export async function registerArtifactRoutes(
  app: TypedApp,
  service: ArtifactService,
  audit?: AuditService,
  agentUploads?: AgentUploadGate,
): Promise<void> {
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    // busboy stops reading at one byte over the limit; the service's own counter then answers 413.
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: service.maxBytes + 1, files: 2, fields: 50, parts: 60, fieldSize: MAX_FIELD_BYTES },
    });
    registerReadRoutes(scope, service);
    registerWriteRoutes(scope, service, audit);
    if (agentUploads) registerAgentUpload(scope, service, agentUploads);
  });
}

function registerReadRoutes(app: TypedApp, service: ArtifactService): void {
  const ListData = Type.Object({
    artifacts: Type.Array(ArtifactSchema),
    total_count: Type.Integer(),
    has_more: Type.Boolean(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });
  app.get(
    '/api/artifacts',
    {
      schema: {
        tags,
        summary: 'List artifacts, newest first',
        querystring: ListArtifactsQuery,
        response: { 200: envelope(ListData), 400: ErrorEnvelope },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await service.list(query);
      return ok({
        artifacts: page.artifacts.map(toWireArtifact),
        total_count: page.total_count,
        has_more: query.offset + page.artifacts.length < page.total_count,
        limit: query.limit,
        offset: query.offset,
      });
    },
  );

  app.get(
    '/api/artifacts/:id',
    {
      schema: {
        tags,
        summary: 'One artifact',
        params: ArtifactIdParams,
        response: { 200: envelope(ArtifactSchema), ...errors },
      },
    },
    async (request) => ok(toWireArtifact(await service.get(request.params.id))),
  );

  // HEAD is its own route: Fastify's automatic one would read the whole file only to throw it away.
  const download = { tags, summary: 'The artifact file; supports Range requests', params: ArtifactIdParams };
  app.get('/api/artifacts/:id/download', { exposeHeadRoute: false, schema: download }, (request, reply) =>
    sendArtifact(service, request.params.id, request, reply),
  );
  app.head(
    '/api/artifacts/:id/download',
    { schema: { ...download, summary: 'Headers of the artifact download' } },
    (request, reply) => sendArtifact(service, request.params.id, request, reply),
  );
}

async function sendArtifact(
  service: ArtifactService,
  id: number,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { artifact, file } = await service.open(id);
  const size = file.size;
  // Without ETags an If-Range validator can never be confirmed, so the whole file is sent (RFC 9110 §13.1.5).
  const range = request.headers['if-range'] === undefined ? parseByteRange(request.headers.range, size) : null;
  if (range === 'unsatisfiable') {
    await file.handle.close();
    // Set before the file's headers, so the JSON error envelope is not sent as the artifact's content type.
    void reply.header('content-range', `bytes */${size}`).header('accept-ranges', 'bytes');
    throw new AppError(
      'range_not_satisfiable',
      `range ${request.headers.range ?? ''} is outside the file's ${size} bytes`,
      'range',
    );
  }
  void reply
    .header('content-type', artifact.mime_type)
    .header('content-disposition', contentDisposition(artifact.file_name))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('accept-ranges', 'bytes');
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  if (range) void reply.status(206).header('content-range', `bytes ${start}-${end}/${size}`);
  void reply.header('content-length', String(Math.max(0, end - start + 1)));
  if (request.method === 'HEAD' || size === 0) {
    await file.handle.close();
    return reply.send();
  }
  return reply.send(file.handle.createReadStream({ start, end, autoClose: true }));
}

function registerWriteRoutes(app: TypedApp, service: ArtifactService, audit: AuditService | undefined): void {
  const upload = {
    tags,
    summary:
      'Upload a file as an artifact (multipart: execution_id, file, name; optional step_id, description, artifact_type, tags)',
    consumes: ['multipart/form-data'],
  };
  app.post(
    '/api/artifacts',
    {
      schema: {
        ...upload,
        response: {
          201: envelope(ArtifactSchema),
          ...errors,
          413: ErrorEnvelope,
          415: ErrorEnvelope,
          503: ErrorEnvelope,
          507: ErrorEnvelope,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError('unsupported_media_type', 'POST /api/artifacts takes multipart/form-data', 'content-type');
      const artifact = await service.upload(uploadParts(request)).catch((error: unknown) => {
        // The rest of an upload refused midway (a full disk) is never read: close the connection rather than leave it stalled.
        if (!request.raw.complete) void reply.header('connection', 'close');
        // A body cut short fails inside the file stream the service is reading, so its error surfaces here, not in uploadParts.
        throw isBusboyParseError(error) ? toUploadError(error) : error;
      });
      void reply.status(201).header('location', `/api/artifacts/${artifact.id}`);
      return ok(toWireArtifact(artifact));
    },
  );

  app.delete(
    '/api/artifacts/:id',
    {
      schema: {
        tags,
        summary: 'Delete an artifact and its file',
        params: ArtifactIdParams,
        response: { 200: envelope(Type.Object({ message: Type.String() })), ...errors },
      },
    },
    async (request) => {
      const artifact = await service.get(request.params.id);
      await service.delete(request.params.id);
      await recordAudit(audit, request, 'artifact_delete', artifact.execution_id, {
        artifact_id: artifact.id,
        name: artifact.name,
      });
      return ok({ message: `artifact ${request.params.id} deleted` });
    },
  );
}

/** POST /api/agent/artifacts: an agent uploads the file an ARTIFACT marker named, streamed like any upload, for an execution it holds. */
function registerAgentUpload(app: TypedApp, service: ArtifactService, gate: AgentUploadGate): void {
  const summary =
    'An agent uploads an artifact of an execution it holds (multipart: session, execution_id, name, optional step_index and description, then file)';
  app.post(
    '/api/agent/artifacts',
    { schema: { tags, summary, consumes: ['multipart/form-data'] } },
    async (request, reply) => {
      if (!request.isMultipart())
        throw new AppError(
          'unsupported_media_type',
          'POST /api/agent/artifacts takes multipart/form-data',
          'content-type',
        );
      const caller = { key: principalOf(request).name, address: request.ip };
      const artifact = await service.upload(agentParts(request, gate, caller)).catch((error: unknown) => {
        if (!request.raw.complete) void reply.header('connection', 'close');
        throw isBusboyParseError(error) ? toUploadError(error) : error;
      });
      void reply.status(201).header('location', `/api/artifacts/${artifact.id}`);
      return ok(toWireArtifact(artifact));
    },
  );
}

/** The upload's parts with the agent's own fields taken out, checked before the file is read, and the step's id put in. */
async function* agentParts(
  request: FastifyRequest,
  gate: AgentUploadGate,
  caller: { key: string; address: string },
): AsyncGenerator<UploadPart> {
  const own = new Map<string, string>();
  for await (const part of uploadParts(request)) {
    if (part.kind === 'field' && (part.name === 'session' || part.name === 'step_index')) {
      own.set(part.name, part.value);
      continue;
    }
    if (part.kind === 'field' && part.name === 'step_id')
      throw new AppError('validation_failed', 'step_id: an agent names the step by step_index', 'step_id');
    if (part.kind === 'field' && part.name === 'execution_id') own.set('execution_id', part.value);
    if (part.kind === 'file') {
      const index = own.get('step_index');
      if (index !== undefined && !/^\d{1,7}$/.test(index))
        throw new AppError('validation_failed', 'step_index: must be a step number', 'step_index');
      const stepId = await gate(
        {
          session: own.get('session') ?? '',
          execution_id: own.get('execution_id') ?? '',
          step_index: index === undefined ? null : Number(index),
        },
        caller,
      );
      if (stepId !== null) yield { kind: 'field', name: 'step_id', value: String(stepId) };
    }
    yield part;
  }
}
