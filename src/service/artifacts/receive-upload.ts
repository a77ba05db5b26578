// Owns the multipart upload use case: stream the file to staging under the size limit, validate the fields, record it.
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/app-error.js';
import type { ArtifactRecord } from '../../core/artifact.js';
import { describeStorageFailure, isStorageFailure, isStorageFull } from '../storage-failure.js';
import type { ArtifactContext } from './artifact-context.js';
import { ArtifactTooLargeError, createByteLimit } from '../../runner/artifact-pack/create-byte-limit.js';
import { parseUploadFields, type UploadFields } from './parse-upload-fields.js';
import { recordArtifact } from './record-artifact.js';

/** One part of a multipart body, in arrival order; a file part must be consumed before the next part arrives. */
export type UploadPart =
  { kind: 'field'; name: string; value: string } | { kind: 'file'; name: string; fileName: string; stream: Readable };

interface StagedUpload {
  staged: string;
  size: number;
  fileName: string;
}

async function stageFile(
  ctx: ArtifactContext,
  part: Extract<UploadPart, { kind: 'file' }>,
  staging: { path: string | null },
): Promise<StagedUpload> {
  staging.path = await ctx.storage.stagingPath();
  const limit = createByteLimit(ctx.maxBytes);
  try {
    await pipeline(part.stream, limit, createWriteStream(staging.path, { flags: 'wx' }));
  } catch (error) {
    if (error instanceof ArtifactTooLargeError)
      throw new AppError('payload_too_large', `file is ${error.message}`, 'file', { cause: error });
    throw error;
  }
  // Browsers send a bare name; other clients may send a path, of which only the last part is a name.
  const fileName = basename(part.fileName.replace(/\\/g, '/')).slice(0, 255);
  return { staged: staging.path, size: limit.bytes, fileName };
}

async function readParts(ctx: ArtifactContext, parts: AsyncIterable<UploadPart>, staging: { path: string | null }) {
  const fields = new Map<string, string[]>();
  let file: StagedUpload | null = null;
  for await (const part of parts) {
    if (part.kind === 'field') {
      fields.set(part.name, [...(fields.get(part.name) ?? []), part.value]);
      continue;
    }
    if (part.name !== 'file' || file !== null) {
      part.stream.resume();
      throw new AppError(
        'validation_failed',
        `${part.name}: only one file, in the field "file", is accepted`,
        part.name,
      );
    }
    file = await stageFile(ctx, part, staging);
  }
  return { fields, file };
}

async function checkTarget(ctx: ArtifactContext, fields: UploadFields): Promise<void> {
  if ((await ctx.store.getExecution(fields.execution_id)) === null) {
    throw new AppError('execution_not_found', `execution ${fields.execution_id} not found`, 'execution_id');
  }
  if (fields.step_id === null) return;
  const steps = await ctx.store.listSteps(fields.execution_id);
  if (!steps.some((step) => step.id === fields.step_id)) {
    throw new AppError(
      'validation_failed',
      `step_id: step ${fields.step_id} is not a step of execution ${fields.execution_id}`,
      'step_id',
    );
  }
}

// A full disk is the server's problem, not the request's: 507 (503 for other storage errors), and the host frees its reserve.
function explainStorageFailure(ctx: ArtifactContext, error: unknown): unknown {
  if (!isStorageFailure(error)) return error;
  ctx.onStorageFailure?.(error);
  const message = describeStorageFailure(error, 'the upload was not kept');
  return new AppError(isStorageFull(error) ? 'insufficient_storage' : 'storage_unavailable', message, 'file');
}

/** Stores an uploaded file as an artifact; 413 past the size limit, 400 naming a bad field, 404 for an unknown execution, 507 on a full disk. */
export async function receiveUpload(ctx: ArtifactContext, parts: AsyncIterable<UploadPart>): Promise<ArtifactRecord> {
  const staging: { path: string | null } = { path: null };
  try {
    const { fields, file } = await readParts(ctx, parts, staging);
    const parsed = parseUploadFields(fields);
    if (file === null) throw new AppError('validation_failed', 'file: is required', 'file');
    await checkTarget(ctx, parsed);
    return await recordArtifact(ctx, {
      ...parsed,
      staged: file.staged,
      size: file.size,
      file_name: file.fileName || parsed.name,
    });
  } catch (error) {
    throw explainStorageFailure(ctx, error);
  } finally {
    // After a successful record the staged file was moved away and this is a no-op.
    if (staging.path !== null) await ctx.storage.discard(staging.path);
  }
}
