// Owns saving an execution's artifacts into a folder: safe unique names, never a write outside it, never a half-written file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { WireArtifact } from '../core/wire-types.js';
import type { ApiClient } from './api-client.js';
import { pathInside, sanitizeFileName } from './sanitize-file-name.js';

/** One saved file. */
export interface SavedArtifact {
  artifact: WireArtifact;
  path: string;
  bytes: number;
}

/** Picks a distinct safe file name for each artifact (a clash gets the artifact id before the extension). */
export function planFileNames(artifacts: WireArtifact[]): string[] {
  const taken = new Set<string>();
  return artifacts.map((artifact) => {
    let name = sanitizeFileName(artifact.file_name || artifact.name, `artifact-${artifact.id}`);
    if (taken.has(name.toLowerCase())) {
      const dot = name.lastIndexOf('.');
      name = dot > 0 ? `${name.slice(0, dot)}-${artifact.id}${name.slice(dot)}` : `${name}-${artifact.id}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

/** Downloads each artifact into `dir` (created if missing), calling `onSaved` after each file. */
export async function downloadArtifacts(
  client: ApiClient,
  artifacts: WireArtifact[],
  dir: string,
  onSaved: (saved: SavedArtifact) => void,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const names = planFileNames(artifacts);
  for (const [i, artifact] of artifacts.entries()) {
    const target = pathInside(dir, names[i] ?? `artifact-${artifact.id}`);
    const bytes = await downloadTo(client, artifact.download_url, target);
    onSaved({ artifact, path: target, bytes });
  }
}

// Written to a fresh temporary name first, then renamed: rename replaces a symlink at the target instead of following it.
async function downloadTo(client: ApiClient, url: string, target: string): Promise<number> {
  const response = await client.download(url);
  const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
  let bytes = 0;
  try {
    const body = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(body, createWriteStream(temporary, { flags: 'wx' }));
    await rename(temporary, target);
    return bytes;
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}
