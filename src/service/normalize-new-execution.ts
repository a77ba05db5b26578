// Owns turning a create request into a complete NewExecution: defaults, resolved paths, semantic checks.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../core/app-error.js';
import type { NewExecution } from '../core/execution.js';
import {
  DEFAULT_MARKER_DIALECTS,
  MARKER_DIALECTS,
  readMarkerDialects,
  type MarkerDialect,
} from '../markers/marker-dialect.js';
import { isInsideWorkingRoots } from '../runner/is-inside-working-roots.js';

/** The create-execution body after schema validation (types are right; meaning is checked here). */
export interface CreateExecutionInput {
  name?: string | undefined;
  command: string | string[];
  working_directory?: string | undefined;
  environment?: Record<string, string> | undefined;
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  user?: string | null | undefined;
  timeout?: number | null | undefined;
  /** Labels an agent must all have to run it. */
  runs_on?: string[] | undefined;
  /** Marker dialect names; absent: the server's default. */
  markers?: string[] | undefined;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The labels as given, without repeats; each is 1-64 letters, digits, `_`, `.` or `-`. */
export function normalizeLabels(labels: readonly string[], field: string): string[] {
  for (const label of labels) {
    if (!LABEL.test(label))
      throw new AppError(
        'validation_failed',
        `label ${JSON.stringify(label.slice(0, 80))} is not valid: use 1-64 letters, digits, "_", "." or "-"`,
        field,
      );
  }
  return [...new Set(labels)];
}

function defaultName(command: string | string[]): string {
  const text = typeof command === 'string' ? command : command.join(' ');
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

function checkCommand(command: string | string[]): void {
  if (typeof command === 'string' ? command.trim() === '' : command.length === 0 || command[0] === '') {
    throw new AppError('validation_failed', 'command must not be empty', 'command');
  }
  const parts = typeof command === 'string' ? [command] : command;
  if (parts.some((part) => part.includes('\0')))
    throw new AppError('validation_failed', 'command must not contain NUL bytes', 'command');
}

function checkEnvironment(environment: Record<string, string>): void {
  for (const [name, value] of Object.entries(environment)) {
    if (!ENV_NAME.test(name))
      throw new AppError('validation_failed', `environment variable name "${name}" is not valid`, 'environment');
    if (value.includes('\0'))
      throw new AppError('validation_failed', `environment variable ${name} contains a NUL byte`, 'environment');
  }
}

function checkMarkers(names: readonly string[]): MarkerDialect[] {
  const read = readMarkerDialects(names);
  if ('unknown' in read)
    throw new AppError(
      'validation_failed',
      `markers: "${read.unknown}" is not a marker dialect (${MARKER_DIALECTS.join(', ')})`,
      'markers',
    );
  if (read.dialects.length === 0)
    throw new AppError('validation_failed', 'markers must name at least one dialect', 'markers');
  return read.dialects;
}

async function resolveWorkingDirectory(requested: string | undefined, fallback: string): Promise<string> {
  if (requested === undefined || requested === '') return fallback;
  if (requested.includes('\0'))
    throw new AppError('validation_failed', 'working_directory must not contain NUL bytes', 'working_directory');
  const path = isAbsolute(requested) ? requested : resolve(fallback, requested);
  const info = await stat(path).catch(() => null);
  if (!info) throw new AppError('validation_failed', `working_directory ${path} does not exist`, 'working_directory');
  if (!info.isDirectory())
    throw new AppError('validation_failed', `working_directory ${path} is not a directory`, 'working_directory');
  return path;
}

// The default directory is checked too: it may have been swapped for a symlink since start-up.
async function checkWorkingRoots(path: string, roots: readonly string[]): Promise<void> {
  if (roots.length === 0) return;
  const real = await realpath(path).catch(() => null);
  if (real !== null && isInsideWorkingRoots(real, roots)) return;
  const resolved = real === null || real === path ? path : `${path} (resolves to ${real})`;
  throw new AppError(
    'validation_failed',
    `working_directory ${resolved} is outside the allowed working roots: ${roots.join(', ')}`,
    'working_directory',
  );
}

/** Where an execution will run: `here` checks its directory on this machine; `agent` leaves it to the agent's machine. */
export type RunPlace = 'here' | 'agent';

/**
 * Validates meaning (non-empty command, env names, labels, and for `here` an existing directory inside the working
 * roots) and fills defaults. An agent's directory is checked by the agent: it names a folder on another machine.
 */
export async function normalizeNewExecution(
  input: CreateExecutionInput,
  defaultWorkingDirectory: string,
  workingRoots: readonly string[] = [],
  defaultMarkers: readonly MarkerDialect[] = DEFAULT_MARKER_DIALECTS,
  place: RunPlace = 'here',
): Promise<NewExecution> {
  checkCommand(input.command);
  const environment = input.environment ?? {};
  checkEnvironment(environment);
  const runsOn = normalizeLabels(input.runs_on ?? [], 'runs_on');
  const name = input.name?.trim() || defaultName(input.command);
  let workingDirectory = input.working_directory ?? '';
  if (workingDirectory.includes('\0'))
    throw new AppError('validation_failed', 'working_directory must not contain NUL bytes', 'working_directory');
  if (place === 'here') {
    workingDirectory = await resolveWorkingDirectory(input.working_directory, defaultWorkingDirectory);
    await checkWorkingRoots(workingDirectory, workingRoots);
  }
  return {
    name,
    command: input.command,
    working_directory: workingDirectory,
    environment,
    tags: [...new Set((input.tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== ''))],
    metadata: input.metadata ?? {},
    user: input.user?.trim() || null,
    timeout_seconds: input.timeout ?? null,
    runs_on: runsOn,
    // Kept with the execution, so a restart or a re-run reads its output the same way whatever the server default becomes.
    markers: input.markers === undefined ? [...defaultMarkers] : checkMarkers(input.markers),
  };
}
