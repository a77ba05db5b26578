// Owns turning `stepflow run` flags and words into the POST /api/executions body, with usage errors for bad values.
import { isAbsolute, resolve } from 'node:path';
import { MARKER_DIALECTS, readMarkerDialects } from '../markers/marker-dialect.js';
import { usageError } from './cli-error.js';

/** The flags of `run` as commander hands them over (repeatable ones as arrays). */
export interface RunFlags {
  name?: string | undefined;
  cwd?: string | undefined;
  env?: string[] | undefined;
  tag?: string[] | undefined;
  timeout?: string | undefined;
  /** Comma-separated labels an agent must have (repeatable). */
  runsOn?: string[] | undefined;
  markers?: string | undefined;
}

/** The create-execution body the CLI sends (a subset of the server's CreateExecutionBody). */
export interface CreateBody {
  name?: string;
  command: string | string[];
  /** Absent for an agent's execution without --cwd: the agent's own work dir, not this machine's directory. */
  working_directory?: string;
  environment?: Record<string, string>;
  tags?: string[];
  timeout?: number;
  runs_on?: string[];
  markers?: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TIMEOUT_SECONDS = 31_536_000;

/** Maps words and flags to a body; `cwd` is where relative --cwd values (and the default) start from. */
export function buildCreateBody(words: string[], flags: RunFlags, cwd: string): CreateBody {
  const runsOn = parseLabels(flags.runsOn ?? []);
  const body: CreateBody = { command: toCommand(words) };
  // A directory on this machine means nothing to an agent on another, unless asked for with --cwd.
  if (flags.cwd || runsOn.length === 0) body.working_directory = flags.cwd ? resolveDirectory(flags.cwd, cwd) : cwd;
  if (runsOn.length > 0) body.runs_on = runsOn;
  if (flags.name !== undefined) body.name = checkName(flags.name);
  if (flags.env && flags.env.length > 0) body.environment = parseEnvPairs(flags.env);
  if (flags.tag && flags.tag.length > 0) body.tags = checkTags(flags.tag);
  if (flags.timeout !== undefined) body.timeout = parseTimeout(flags.timeout);
  if (flags.markers !== undefined) body.markers = parseMarkersFlag(flags.markers);
  return body;
}

/** Splits repeated, comma-separated --runs-on values into labels, refusing ones the server would refuse. */
export function parseLabels(values: string[]): string[] {
  const labels = values
    .flatMap((value) => value.split(','))
    .map((label) => label.trim())
    .filter((label) => label !== '');
  for (const label of labels) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(label))
      throw usageError(`--runs-on: "${label}" is not a label (1-64 letters, digits, "_", "." or "-")`);
  }
  return [...new Set(labels)];
}

/** Several words are an argv (no shell); one word with whitespace in it is a shell command line. */
export function toCommand(words: string[]): string | string[] {
  if (words.length === 0 || words[0] === '')
    throw usageError('run needs a command after --, e.g. stepflow run -- ./build.sh');
  const [only] = words;
  if (words.length === 1 && only !== undefined && /\s/.test(only)) return only;
  return [...words];
}

/** Parses repeated KEY=VALUE flags; the value may contain "=" and be empty, a later key wins. */
export function parseEnvPairs(pairs: string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 0) throw usageError(`--env: "${pair}" must be KEY=VALUE`);
    const key = pair.slice(0, at);
    if (!ENV_NAME.test(key))
      throw usageError(`--env: "${key}" is not a valid variable name (letters, digits, _; not starting with a digit)`);
    environment[key] = pair.slice(at + 1);
  }
  return environment;
}

/** Parses --markers: comma-separated dialect names, at least one, each one StepFlow reads. */
export function parseMarkersFlag(text: string): string[] {
  const read = readMarkerDialects(text.split(',').filter((name) => name.trim() !== ''));
  if ('unknown' in read)
    throw usageError(`--markers: "${read.unknown.trim()}" is not a marker dialect (${MARKER_DIALECTS.join(', ')})`);
  if (read.dialects.length === 0)
    throw usageError(`--markers needs at least one dialect (${MARKER_DIALECTS.join(', ')})`);
  return read.dialects;
}

/** Parses --timeout: seconds, a positive number up to one year. */
export function parseTimeout(text: string): number {
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw usageError(`--timeout: "${text}" must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return seconds;
}

function resolveDirectory(dir: string, cwd: string): string {
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

function checkName(name: string): string {
  if (name.trim() === '') throw usageError('--name must not be empty');
  if (name.length > 200) throw usageError('--name must be at most 200 characters');
  return name;
}

function checkTags(tags: string[]): string[] {
  if (tags.length > 100) throw usageError('--tag may be given at most 100 times');
  for (const tag of tags) {
    if (tag.trim() === '' || tag.length > 100) throw usageError(`--tag: "${tag}" must be 1 to 100 characters`);
  }
  return [...new Set(tags)];
}
