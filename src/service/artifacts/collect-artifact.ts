// Owns the ARTIFACT marker use case: check the announced path, open it beneath its pinned root without following symlinks, copy or pack it, record it.
import { basename, relative, resolve } from 'node:path';
import type { ExecutionRecord } from '../../core/execution.js';
import type { ArtifactEffect, ArtifactOutcome } from './track-run-artifacts.js';
import type { ArtifactContext } from './artifact-context.js';
import { ArtifactRefusedError } from '../../runner/artifact-pack/artifact-refused-error.js';
import { copyArtifactFile } from './copy-artifact-file.js';
import { ArtifactTooLargeError } from '../../runner/artifact-pack/create-byte-limit.js';
import { openPathBeneath, type OpenedBeneath } from './open-path-beneath.js';
import { packArtifactDirectory } from '../../runner/artifact-pack/pack-artifact-directory.js';
import { openPinnedRoot, type PinnedRoots } from './pin-artifact-roots.js';
import { permitsUser, userCanAccess } from '../../runner/user-can-access.js';
import { recordArtifact } from './record-artifact.js';
import { resolveArtifactPath, type ResolvedArtifactPath } from './resolve-artifact-path.js';

/** What the collections of one run share: its roots as opened when it started, and the signal that abandons them. */
export interface CollectionScope {
  pinned: PinnedRoots;
  signal: AbortSignal;
}

/** The checked path of an announced artifact, opened. */
interface Opened {
  entry: OpenedBeneath;
  realPath: string;
}

function refused(path: string, reason: string): ArtifactOutcome {
  return { status: 'refused', warning: `warning: artifact "${path}" refused: ${reason}` };
}

function abandoned(path: string, signal: AbortSignal): ArtifactOutcome {
  const reason: unknown = signal.reason;
  return {
    status: 'refused',
    warning: `warning: artifact "${path}" was not kept: ${reason instanceof Error ? reason.message : String(reason)}`,
  };
}

async function stepIdOf(ctx: ArtifactContext, executionId: number, stepIndex: number | null): Promise<number | null> {
  if (stepIndex === null) return null;
  const steps = await ctx.store.listSteps(executionId);
  return steps.find((step) => step.index === stepIndex)?.id ?? null;
}

// Opened beneath the root's handle from the run's start, never its path: below it nothing is followed, so a swap after the check is refused.
async function openChecked(
  scope: CollectionScope,
  resolved: Extract<ResolvedArtifactPath, { kind: 'found' }>,
): Promise<OpenedBeneath | { kind: 'missing' }> {
  const pinned = scope.pinned.roots[resolved.rootIndex];
  if (pinned === undefined) throw new Error(`no root ${resolved.rootIndex} was pinned for this execution`);
  const root = await openPinnedRoot(pinned, resolved.root);
  return openPathBeneath(root, relative(resolved.root, resolved.realPath), resolved.root);
}

async function copyOrPack(ctx: ArtifactContext, opened: Opened, staged: string, signal: AbortSignal): Promise<number> {
  const { entry, realPath } = opened;
  if (entry.kind === 'directory')
    return packArtifactDirectory(entry.handle, basename(realPath), staged, {
      maxBytes: ctx.maxBytes,
      maxEntries: ctx.maxPackEntries,
      signal,
      readableBy: ctx.readableBy,
    });
  if (entry.stats.size > ctx.maxBytes)
    throw new ArtifactRefusedError(
      realPath,
      `is ${entry.stats.size} bytes, over the ${ctx.maxBytes}-byte artifact limit`,
    );
  return copyArtifactFile(entry.handle, staged, ctx.maxBytes, signal);
}

async function keep(
  ctx: ArtifactContext,
  record: ExecutionRecord,
  effect: ArtifactEffect,
  opened: Opened,
  signal: AbortSignal,
): Promise<ArtifactOutcome> {
  const announced = basename(resolve(record.working_directory, effect.path));
  const staged = await ctx.storage.stagingPath();
  try {
    const size = await copyOrPack(ctx, opened, staged, signal);
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
    if (signal.aborted) return abandoned(effect.path, signal);
    if (error instanceof ArtifactTooLargeError) return refused(effect.path, `${opened.realPath} is ${error.message}`);
    if (error instanceof ArtifactRefusedError) return refused(effect.path, error.message);
    throw error;
  }
}

// The server may be root while the script is not: it must not fetch for the script what the script could not read.
// The opened object's own mode decides, and every directory on the way must be enterable by the scripts' user.
async function unreadableReason(ctx: ArtifactContext, entry: OpenedBeneath, realPath: string): Promise<string | null> {
  const user = ctx.readableBy;
  if (user === null) return null;
  const access = entry.kind === 'file' ? 'read' : 'list';
  if (permitsUser(entry.stats, user, access) && (await userCanAccess(realPath, user, access))) return null;
  return `${realPath} is not readable by user ${user.name}, whom scripts run as`;
}

/**
 * Keeps the file or directory an ARTIFACT marker announced: `missing` when nothing is there yet
 * (the caller retries later), `refused` with a warning line when it may not be kept or when
 * `scope.signal` abandoned the run's collections.
 */
export async function collectArtifact(
  ctx: ArtifactContext,
  record: ExecutionRecord,
  effect: ArtifactEffect,
  scope: CollectionScope,
): Promise<ArtifactOutcome> {
  if (scope.signal.aborted) return abandoned(effect.path, scope.signal);
  const resolved = await resolveArtifactPath(effect.path, {
    workingDirectory: record.working_directory,
    roots: ctx.roots,
  });
  if (resolved.kind === 'missing') return { status: 'missing' };
  if (resolved.kind === 'refused') return refused(effect.path, resolved.reason);
  let entry: OpenedBeneath | { kind: 'missing' };
  try {
    entry = await openChecked(scope, resolved);
  } catch (error) {
    if (error instanceof ArtifactRefusedError) return refused(effect.path, error.message);
    throw error;
  }
  if (entry.kind === 'missing') return { status: 'missing' };
  try {
    const unreadable = await unreadableReason(ctx, entry, resolved.realPath);
    if (unreadable !== null) return refused(effect.path, unreadable);
    return await keep(ctx, record, effect, { entry, realPath: resolved.realPath }, scope.signal);
  } finally {
    await entry.handle.close();
  }
}
