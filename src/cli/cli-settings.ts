// Owns the client commands' own settings: the one place they read the environment, and the --server URL check.
import { CliError } from './cli-error.js';

/** Where the client commands talk to when neither --server nor STEPFLOW_SERVER is given. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

/** What the client commands take from their environment; everything else comes from flags. */
export interface CliSettings {
  /** STEPFLOW_SERVER, or the default. */
  server: string;
  /** The directory `run` sends as working_directory when --cwd is not given. */
  cwd: string;
  /** True when stdout is a terminal (status line, colours). */
  isTTY: boolean;
  /** Colours on: NO_COLOR wins, then FORCE_COLOR, else only on a terminal that is not "dumb". */
  color: boolean;
  /** STEPFLOW_API_KEY, sent as a Bearer token to servers with authentication on. */
  apiKey?: string | undefined;
}

/** Reads the settings once; picocolors' own check is not used because it turns colour on for any `CI` env, TTY or not. */
export function readCliSettings(env: NodeJS.ProcessEnv, cwd: string, isTTY: boolean): CliSettings {
  const server = env.STEPFLOW_SERVER?.trim() || DEFAULT_SERVER;
  let color = isTTY && env.TERM !== 'dumb';
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') color = true;
  if (env.NO_COLOR) color = false;
  const apiKey = env.STEPFLOW_API_KEY?.trim() || undefined;
  return { server, cwd, isTTY, color, apiKey };
}

/** Checks a server URL and returns it without a trailing slash, so paths can be appended (a path prefix is kept). */
export function parseServerUrl(text: string, source = '--server'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`${source}: "${text}" is not a URL (expected e.g. ${DEFAULT_SERVER})`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${source}: "${text}" must start with http:// or https://`, 2);
  }
  if (url.search || url.hash) throw new CliError(`${source}: "${text}" must not have a query or fragment`, 2);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The server to use: --server when given, else STEPFLOW_SERVER or the default, checked either way. */
export function serverUrlFrom(flag: string | undefined, settings: CliSettings): string {
  if (flag !== undefined) return parseServerUrl(flag, '--server');
  return parseServerUrl(settings.server, settings.server === DEFAULT_SERVER ? 'default server' : 'STEPFLOW_SERVER');
}

/** Help text of the --server flag every client command takes. */
export const SERVER_FLAG_HELP = `StepFlow server URL [env STEPFLOW_SERVER, default ${DEFAULT_SERVER}]`;

/** Commander option parser for repeatable flags (`--env A=1 --env B=2`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  // No commander default ([]) on purpose: help would print "(default: [])".
  return [...(previous ?? []), value];
}
