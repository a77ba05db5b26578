// Owns the one table from error code to HTTP status, and the error envelope every failure is sent in.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/app-error.js';
import { isDatabaseUnavailable } from '../service/database-outage.js';
import { describeStorageFailure, isStorageFailure, isStorageFull } from '../service/storage-failure.js';

/** HTTP status of every error code. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  host_not_allowed: 421,
  rate_limited: 429,
  queue_full: 503,
  key_not_found: 404,
  bad_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  execution_not_found: 404,
  step_not_found: 404,
  artifact_not_found: 404,
  range_not_satisfiable: 416,
  route_not_found: 404,
  execution_running: 409,
  execution_finished: 409,
  shutting_down: 503,
  storage_unavailable: 503,
  insufficient_storage: 507,
  unhealthy: 503,
  agent_protocol_unsupported: 400,
  agent_session_unknown: 409,
  agent_not_holder: 409,
  agent_batch_gap: 409,
  internal_error: 500,
};

/** Builds the contract's error envelope, with our machine `code` and the offending `field` (timestamp stamped on serialization). */
export function errorEnvelope(code: ErrorCode, message: string, field?: string) {
  return {
    success: false,
    data: null,
    error: message,
    code,
    ...(field ? { field } : {}),
    timestamp: '',
  };
}

function fieldOfValidation(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const missing = (first.params as { missingProperty?: string; additionalProperty?: string } | undefined) ?? {};
  const path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = missing.missingProperty ?? missing.additionalProperty;
  if (extra) return path ? `${path}.${extra}` : extra;
  return path || error.validationContext;
}

// Ids are strings on the wire (the old API documented "uuid-string"); one that is not ours names nothing: 404, not 400.
function unknownIdError(fastifyError: FastifyError, url: string | undefined): AppError | null {
  if (fastifyError.validationContext !== 'params' || fieldOfValidation(fastifyError) !== 'id') return null;
  const raw =
    (url ?? '')
      .split('?')[0]
      ?.split('/')
      .filter((part) => part !== '')[2] ?? '';
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // shown as sent
  }
  const shown = JSON.stringify(id.slice(0, 80));
  return url?.startsWith('/api/artifacts/')
    ? new AppError('artifact_not_found', `artifact ${shown} not found`, 'id')
    : new AppError('execution_not_found', `execution ${shown} not found`, 'id');
}

/** Converts any thrown error into an AppError (unknown ones become internal_error); `url` names the resource of a bad path id. */
export function toAppError(error: unknown, url?: string): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const notFound = unknownIdError(fastifyError, url);
    if (notFound) return notFound;
    const field = fieldOfValidation(fastifyError);
    const detail = fastifyError.validation[0]?.message ?? 'is invalid';
    const where = field ?? fastifyError.validationContext ?? 'request';
    return new AppError('validation_failed', `${where}: ${detail}`, field, { cause: error });
  }
  // A write that hit a full or failing disk (a cancel, a delete) is the server's trouble, not a bug: say which.
  const cause = { cause: error };
  if (isStorageFailure(error))
    return new AppError(
      isStorageFull(error) ? 'insufficient_storage' : 'storage_unavailable',
      describeStorageFailure(error),
      undefined,
      cause,
    );
  // A database that does not answer is the server's trouble too, and passes: a client may retry (or another server).
  if (isDatabaseUnavailable(error))
    return new AppError(
      'storage_unavailable',
      `the database does not answer: ${fastifyError.message}`,
      undefined,
      cause,
    );
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'request bodies must be application/json', 'content-type', cause);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'request body is too large', 'body', cause);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_failed', `body is not valid JSON: ${fastifyError.message}`, 'body', cause);
  }
  if (fastifyError instanceof SyntaxError || (fastifyError.statusCode === 400 && fastifyError.message)) {
    return new AppError('bad_request', fastifyError.message, 'body', cause);
  }
  return new AppError('internal_error', 'internal server error', undefined, cause);
}

/** Fastify error handler: sends the envelope with the mapped status; logs only unexpected errors. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error, request.url);
  const status = STATUS_BY_CODE[appError.code];
  if (status >= 500 && appError.code === 'internal_error') request.log.error({ err: error }, 'request failed');
  void reply.status(status).send(errorEnvelope(appError.code, appError.message, appError.field));
}
