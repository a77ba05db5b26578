// Owns the ARTIFACT marker use case: check the announced path, copy or pack it into storage, record it.
import { basename, resolve } from 'node:path';
import type { ExecutionRecord } from '../../core/execution.js';
import { userCanAccess } from '../../runner/user-can-access.js';
import type { ArtifactEffect, ArtifactOutcome } from './track-run-artifacts.js';
import type { ArtifactContext } from './artifact-context.js';
import { ArtifactChangedError, copyArtifactFile } from './copy-artifact-file.js';
import { ArtifactTooLargeError } from './create-byte-limit.js';
import { packArtifactDirectory } from './pack-artifact-directory.js';
import { recordArtifact } from './record-artifact.js';
import { resolveArtifactPath } from './resolve-artifact-path.js';

function refused(path: string, reason: string): ArtifactOutcome {
  return { status: 'refused', warning: `warning: artifact "${path}" refused: ${reason}` };
}

async function stepIdOf(ctx: ArtifactContext, executionId: number, stepIndex: number | null): Promise<number | null> {
  if (stepIndex === null) return null;
  const steps = await ctx.store.listSteps(executionId);
  return steps.find((step) => step.index === stepIndex)?.id ?? null;
}

/**
 * Keeps the file or directory an ARTIFACT marker announced: `missing` when nothing is there yet
 * (the caller retries later), `refused` with a warning line when it may not be kept.
 */
export async function collectArtifact(ctx: ArtifactContext, record: ExecutionRecord, effect: ArtifactEffect): Promise<ArtifactOutcome> {
  const rules = { workingDirectory: record.working_directory, roots: ctx.roots, maxBytes: ctx.maxBytes };
  const resolved = await resolveArtifactPath(effect.path, rules);
  if (resolved.kind === 'missing') return { status: 'missing' };
  if (resolved.kind === 'refused') return refused(effect.path, resolved.reason);
  // The server may be root while the script is not: it must not fetch for the script what the script could not read.
  const user = ctx.readableBy;
  if (user !== null && !(await userCanAccess(resolved.realPath, user, resolved.kind === 'file' ? 'read' : 'list'))) {
    return refused(effect.path, `${resolved.realPath} is not readable by user ${user.name}, whom scripts run as`);
  }
  const announced = basename(resolve(record.working_directory, effect.path));
  const staged = await ctx.storage.stagingPath();
  try {
    const size = resolved.kind === 'file'
      ? await copyArtifactFile(resolved, staged, ctx.maxBytes)
      : await packArtifactDirectory(resolved.realPath, staged, ctx.maxBytes, user);
    await recordArtifact(ctx, {
      staged,
      size,
      execution_id: record.id,
      step_id: await stepIdOf(ctx, record.id, effect.step_index),
      name: effect.path,
      description: effect.description,
      file_name: resolved.kind === 'file' ? announced : `${announced}.tar.gz`,
      tags: [],
      artifact_type: null,
    });
    return { status: 'recorded' };
  } catch (error) {
    await ctx.storage.discard(staged);
    if (error instanceof ArtifactTooLargeError) return refused(effect.path, `${resolved.realPath} is ${error.message}`);
    if (error instanceof ArtifactChangedError) return refused(effect.path, error.message);
    throw error;
  }
}
