// Owns reading a multipart upload for the service: @fastify/multipart's parts as transport-free UploadParts, its errors as AppErrors.
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/app-error.js';
import { errorCode } from '../core/error-code.js';
import type { UploadPart } from '../service/artifacts/receive-upload.js';

/** Longest text field of an upload. */
export const MAX_FIELD_BYTES = 65_536;

/** Adapts @fastify/multipart's parts to the service's transport-free UploadPart, turning its errors into AppErrors. */
export async function* uploadParts(request: FastifyRequest): AsyncGenerator<UploadPart> {
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        yield { kind: 'file', name: part.fieldname, fileName: part.filename, stream: part.file };
        continue;
      }
      if (part.valueTruncated)
        throw new AppError(
          'validation_failed',
          `${part.fieldname}: longer than ${MAX_FIELD_BYTES} bytes`,
          part.fieldname,
        );
      yield { kind: 'field', name: part.fieldname, value: String(part.value) };
    }
  } catch (error) {
    throw toUploadError(error);
  }
}

/** busboy's own parse errors ("Unexpected end of form", "Malformed part header") carry no code; they are the client's fault. */
export function isBusboyParseError(error: unknown): boolean {
  return (
    error instanceof Error &&
    !(error instanceof AppError) &&
    !('code' in error) &&
    !('errno' in error) &&
    /^(Unexpected end of|Malformed)/.test(error.message)
  );
}

export function toUploadError(error: unknown): unknown {
  const code = errorCode(error);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new AppError('payload_too_large', `too many parts in the upload (${code})`, 'body');
  }
  if (code === 'FST_PROTO_VIOLATION') return new AppError('validation_failed', 'a field name is not allowed', 'body');
  if (code?.startsWith('FST_'))
    return new AppError('bad_request', `malformed multipart body: ${(error as Error).message}`, 'body');
  // busboy's own parse errors ("Unexpected end of form", "Malformed part header") carry no code.
  if (error instanceof Error && !(error instanceof AppError) && !('errno' in error))
    return new AppError('bad_request', `malformed multipart body: ${error.message}`, 'body');
  return error;
}
