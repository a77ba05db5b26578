// Owns the validation of the text fields of a multipart artifact upload.
import { AppError } from '../../core/app-error.js';
import type { ArtifactType } from '../../core/artifact.js';

const ARTIFACT_TYPES: readonly ArtifactType[] = ['document', 'image', 'data', 'log', 'archive', 'other'];
const SINGLE_FIELDS = new Set(['execution_id', 'name', 'step_id', 'description', 'artifact_type']);

/** The validated fields of an upload. */
export interface UploadFields {
  execution_id: number;
  name: string;
  step_id: number | null;
  description: string | null;
  artifact_type: ArtifactType | null;
  tags: string[];
}

function invalid(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, field);
}

function parseId(field: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const id = /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw invalid(field, 'must be a positive integer');
  return id;
}

function parseTags(values: readonly string[]): string[] {
  const tags: string[] = [];
  for (const value of values) {
    let items: unknown = value.split(',');
    // A JSON array is accepted too, for clients that send one field with every tag.
    if (value.trim().startsWith('[')) {
      try {
        items = JSON.parse(value);
      } catch {
        throw invalid('tags', 'is not a valid JSON array');
      }
    }
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string'))
      throw invalid('tags', 'must be strings');
    tags.push(...items.map((item: string) => item.trim()).filter((item) => item !== ''));
  }
  if (tags.length > 100 || tags.some((tag) => tag.length > 100))
    throw invalid('tags', 'at most 100 tags of at most 100 characters');
  return [...new Set(tags)];
}

function parseName(value: string | undefined): string {
  const name = value?.trim() ?? '';
  if (name === '') throw invalid('name', 'is required');
  if (name.length > 200) throw invalid('name', 'must be at most 200 characters');
  return name;
}

function parseType(value: string | undefined): ArtifactType | null {
  if (value === undefined || value.trim() === '') return null;
  const type = value.trim() as ArtifactType;
  if (!ARTIFACT_TYPES.includes(type)) throw invalid('artifact_type', `must be one of ${ARTIFACT_TYPES.join(', ')}`);
  return type;
}

/** Validates the text fields of an upload (each once, except repeatable `tags`); throws a 400 naming the field. */
export function parseUploadFields(fields: ReadonlyMap<string, readonly string[]>): UploadFields {
  for (const [field, values] of fields) {
    if (field !== 'tags' && !SINGLE_FIELDS.has(field)) throw invalid(field, 'is not a known field');
    if (field !== 'tags' && values.length > 1) throw invalid(field, 'must be given once');
  }
  const one = (field: string) => fields.get(field)?.[0];
  const executionId = parseId('execution_id', one('execution_id'));
  if (executionId === null) throw invalid('execution_id', 'is required');
  const description = one('description')?.trim() ?? '';
  if (description.length > 2000) throw invalid('description', 'must be at most 2000 characters');
  return {
    execution_id: executionId,
    name: parseName(one('name')),
    step_id: parseId('step_id', one('step_id')),
    description: description === '' ? null : description,
    artifact_type: parseType(one('artifact_type')),
    tags: parseTags(fields.get('tags') ?? []),
  };
}
