// Owns uploading one ARTIFACT of a run on an agent: prepared (a directory packed), streamed, retried while the server is unreachable.
import { join } from 'node:path';
import type { AgentEffect } from '../core/agent-protocol.js';
import { AgentRequestError, type AgentClient } from './agent-client.js';
import { prepareArtifactUpload } from './prepare-artifact-upload.js';

type ArtifactEffect = Extract<AgentEffect, { type: 'artifact' }>;

/** What an upload needs from its run and agent. */
export interface UploadContext {
  client: AgentClient;
  executionId: string;
  /** The run's working directory: what an ARTIFACT path names must lie in it. */
  cwd: string;
  workDir: string;
  maxBytes: number;
  session(): Promise<string>;
  sessionLost(): void;
  maxBackoff(): number;
  /** True once the server no longer holds the run: the upload stops. */
  forgotten(): boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
// The field's limit on the server (parse-upload-fields.ts).
const MAX_NAME = 200;

/** Uploads the artifact's file (or packed directory); answers the warning line the run's log gets when it is not kept, else null. */
export async function uploadArtifact(ctx: UploadContext, artifact: ArtifactEffect): Promise<string | null> {
  const prepared = await prepareArtifactUpload(ctx.cwd, artifact.path, {
    scratchDir: join(ctx.workDir, 'uploads'),
    maxBytes: ctx.maxBytes,
  });
  if (!prepared.ok) return `warning: artifact "${artifact.path}" refused: ${prepared.reason}`;
  try {
    const fields: Record<string, string> = {
      execution_id: ctx.executionId,
      // As on the server: the path as announced (the stored file's name is its base name, or <name>.tar.gz).
      name: artifact.path.length <= MAX_NAME ? artifact.path : prepared.fileName.slice(0, MAX_NAME),
    };
    if (artifact.step_index !== null) fields.step_index = String(artifact.step_index);
    if (artifact.description !== null) fields.description = artifact.description;
    return await send(ctx, fields, prepared.path, prepared.fileName, artifact.path);
  } finally {
    await prepared.discard();
  }
}

async function send(
  ctx: UploadContext,
  fields: Record<string, string>,
  path: string,
  fileName: string,
  announced: string,
): Promise<string | null> {
  let backoff = 100;
  for (let attempt = 1; !ctx.forgotten(); attempt++) {
    try {
      await ctx.client.upload({ session: await ctx.session(), ...fields }, path, fileName);
      return null;
    } catch (error) {
      const refusal = retryOrRefusal(ctx, error, attempt);
      if (refusal !== null) return `warning: artifact "${announced}" refused by the server: ${refusal}`;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, ctx.maxBackoff());
    }
  }
  return null;
}

/** Null to retry: an unreachable server is waited for; one that keeps failing (a full disk) gets a few tries, then the run goes on. */
function retryOrRefusal(ctx: UploadContext, error: unknown, attempt: number): string | null {
  if (!(error instanceof AgentRequestError)) return attempt < 5 ? null : (error as Error).message;
  if (error.status === 0) return null;
  if ((error.status >= 500 || error.status === 429) && attempt < 5) return null;
  if (error.code === 'agent_session_unknown') {
    ctx.sessionLost();
    return null;
  }
  return `${error.code}: ${error.message}`;
}
