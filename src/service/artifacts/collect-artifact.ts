// Owns the ARTIFACT marker use case: check the announced path, open it without following symlinks, copy or pack it, record it.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import type { ExecutionRecord } from '../../core/execution.js';
import type { ArtifactEffect, ArtifactOutcome } from './track-run-artifacts.js';
import type { ArtifactContext } from './artifact-context.js';
import { ArtifactRefusedError } from './artifact-refused-error.js';
import { copyArtifactFile } from './copy-artifact-file.js';
import { ArtifactTooLargeError } from './create-byte-limit.js';
import { openPathBeneath, type OpenedBeneath } from './open-path-beneath.js';
import { packArtifactDirectory } from './pack-artifact-directory.js';
import { recordArtifact } from './record-artifact.js';
import { resolveArtifactPath } from './resolve-artifact-path.js';

/** The checked path of an announced artifact, opened. */
interface Opened {
  entry: OpenedBeneath;
  realPath: string;
}

function refused(path: string, reason: string): ArtifactOutcome {
  return { status: 'refused', warning: `warning: artifact "${path}" refused: ${reason}` };
}

async function stepIdOf(ctx: ArtifactContext, executionId: number, stepIndex: number | null): Promise<number | null> {
  if (stepIndex === null) return null;
  const steps = await ctx.store.listSteps(executionId);
  return steps.find((step) => step.index === stepIndex)?.id ?? null;
}

// The root is trusted as configured (or as given with the execution); below it nothing is followed, so a swap after the check is refused.
async function openChecked(root: string, realPath: string): Promise<OpenedBeneath | { kind: 'missing' }> {
  const handle = await open(root, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    return await openPathBeneath(handle, relative(root, realPath), root);
  } finally {
    await handle.close();
  }
}

async function copyOrPack(ctx: ArtifactContext, opened: Opened, staged: string): Promise<number> {
  const { entry, realPath } = opened;
  if (entry.kind === 'directory') return packArtifactDirectory(entry.handle, basename(realPath), staged, { maxBytes: ctx.maxBytes, maxEntries: ctx.maxPackEntries });
  if (entry.stats.size > ctx.maxBytes) throw new ArtifactRefusedError(realPath, `is ${entry.stats.size} bytes, over the ${ctx.maxBytes}-byte artifact limit`);
  return copyArtifactFile(entry.handle, staged, ctx.maxBytes);
}

async function keep(ctx: ArtifactContext, record: ExecutionRecord, effect: ArtifactEffect, opened: Opened): Promise<ArtifactOutcome> {
  const announced = basename(resolve(record.working_directory, effect.path));
  const staged = await ctx.storage.stagingPath();
  try {
    const size = await copyOrPack(ctx, opened, staged);
    await recordArtifact(ctx, {
      staged,
      size,
      execution_id: record.id,
      step_id: await stepIdOf(ctx, record.id, effect.step_index),
      name: effect.path,
      description: effect.description,
      file_name: opened.entry.kind === 'file' ? announced : `${announced}.tar.gz`,
      tags: [],
      artifact_type: null,
    });
    return { status: 'recorded' };
  } catch (error) {
    await ctx.storage.discard(staged);
    if (error instanceof ArtifactTooLargeError) return refused(effect.path, `${opened.realPath} is ${error.message}`);
    if (error instanceof ArtifactRefusedError) return refused(effect.path, error.message);
    throw error;
  }
}

/**
 * Keeps the file or directory an ARTIFACT marker announced: `missing` when nothing is there yet
 * (the caller retries later), `refused` with a warning line when it may not be kept.
 */
export async function collectArtifact(ctx: ArtifactContext, record: ExecutionRecord, effect: ArtifactEffect): Promise<ArtifactOutcome> {
  const resolved = await resolveArtifactPath(effect.path, { workingDirectory: record.working_directory, roots: ctx.roots });
  if (resolved.kind === 'missing') return { status: 'missing' };
  if (resolved.kind === 'refused') return refused(effect.path, resolved.reason);
  let entry: OpenedBeneath | { kind: 'missing' };
  try {
    entry = await openChecked(resolved.root, resolved.realPath);
  } catch (error) {
    if (error instanceof ArtifactRefusedError) return refused(effect.path, error.message);
    throw error;
  }
  if (entry.kind === 'missing') return { status: 'missing' };
  try {
    return await keep(ctx, record, effect, { entry, realPath: resolved.realPath });
  } finally {
    await entry.handle.close();
  }
}
