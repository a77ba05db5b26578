// Owns the inference of an artifact's mime type and artifact_type from its file name and first bytes.
import mime from 'mime-types';
import type { ArtifactType } from '../../core/artifact.js';

/** How many leading bytes the sniff looks at. */
export const SNIFF_BYTES = 4096;

/** A mime type and the contract's artifact kind. */
export interface InferredType {
  mime_type: string;
  artifact_type: ArtifactType;
}

// Extensions mime-db does not know, or knows as something a build output rarely is (.ts is not MPEG video here).
const EXTENSION_OVERRIDES: Record<string, string> = {
  ts: 'text/plain',
  tsx: 'text/plain',
  tgz: 'application/gzip',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
  sqlite: 'application/vnd.sqlite3',
  db: 'application/vnd.sqlite3',
  zst: 'application/zstd',
  whl: 'application/zip',
};

const MAGIC: ReadonlyArray<{ mime: string; bytes: readonly number[] }> = [
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] },
  { mime: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] },
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mime: 'application/gzip', bytes: [0x1f, 0x8b] },
  { mime: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { mime: 'application/zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
];

const ARCHIVES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/x-xz',
  'application/vnd.rar',
  'application/zstd',
  'application/java-archive',
  'application/x-gtar',
]);
const DATA = new Set([
  'application/json',
  'text/csv',
  'text/tab-separated-values',
  'application/xml',
  'text/xml',
  'text/yaml',
  'application/yaml',
  'application/x-ndjson',
  'application/vnd.apache.parquet',
  'application/vnd.sqlite3',
  'application/toml',
]);
const DOCUMENTS = new Set([
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/html',
  'application/rtf',
  'application/msword',
  'application/epub+zip',
]);

/** The mime type of a file name by its extension, or null when the extension is unknown. */
export function mimeTypeOfName(fileName: string): string | null {
  const extension = /\.([^./]+)$/.exec(fileName.toLowerCase())?.[1];
  if (extension === undefined) return null;
  return EXTENSION_OVERRIDES[extension] ?? (mime.lookup(extension) || null);
}

/** The mime type the leading bytes prove (png, jpeg, gif, pdf, gzip, zip), or null. */
export function sniffMagic(head: Uint8Array): string | null {
  const match = MAGIC.find(
    (magic) => magic.bytes.length <= head.length && magic.bytes.every((byte, i) => head[i] === byte),
  );
  return match?.mime ?? null;
}

/** True when the bytes look like text: no NUL and valid UTF-8 (a sequence cut at the end is allowed). */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

// Office documents, jars and wheels are zip files; their own name says more than "zip".
function isZipContainer(mimeType: string): boolean {
  return (
    mimeType === 'application/zip' ||
    mimeType === 'application/java-archive' ||
    mimeType === 'application/epub+zip' ||
    mimeType.startsWith('application/vnd.openxmlformats-') ||
    mimeType.startsWith('application/vnd.oasis.opendocument.')
  );
}

function decideMimeType(byName: string | null, sniffed: string | null, head: Uint8Array): string {
  if (sniffed !== null) {
    const agrees = byName === sniffed || (sniffed === 'application/zip' && byName !== null && isZipContainer(byName));
    return agrees && byName !== null ? byName : sniffed;
  }
  const text = looksLikeText(head);
  if (byName === null) return text ? 'text/plain' : 'application/octet-stream';
  // A name promising text is not trusted when the bytes are binary.
  if (byName.startsWith('text/') && !text) return 'application/octet-stream';
  return byName;
}

/** The contract's artifact kind of a mime type; `.log` files are logs whatever their mime type. */
export function artifactTypeOf(mimeType: string, fileName: string): ArtifactType {
  if (/\.log(\.\d+)?$/i.test(fileName) && mimeType === 'text/plain') return 'log';
  if (mimeType.startsWith('image/')) return 'image';
  if (ARCHIVES.has(mimeType)) return 'archive';
  if (DATA.has(mimeType)) return 'data';
  if (
    DOCUMENTS.has(mimeType) ||
    mimeType.startsWith('application/vnd.openxmlformats-') ||
    mimeType.startsWith('application/vnd.oasis.opendocument.')
  ) {
    return 'document';
  }
  return 'other';
}

/** Infers mime type and artifact_type from the name's extension and a sniff of the first bytes. */
export function inferArtifactType(fileName: string, head: Uint8Array): InferredType {
  const mimeType = decideMimeType(mimeTypeOfName(fileName), sniffMagic(head), head);
  return { mime_type: mimeType, artifact_type: artifactTypeOf(mimeType, fileName) };
}
