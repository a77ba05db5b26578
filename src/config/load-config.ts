// Owns loadConfig: merges defaults < config file < STEPFLOW_* env < flags into one frozen, validated Config.
// This is the only module that reads environment variables; callers pass `env: process.env`.
import { DEFAULT_MARKER_DIALECTS } from '../markers/marker-dialect.js';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { errorCode } from '../core/error-code.js';
import type { Config } from './config.js';
import { ConfigError } from './config-error.js';
import {
  CONFIG_SETTINGS,
  type ConfigKey,
  type ConfigSetting,
  type RawValue,
  type SettingValue,
} from './config-settings.js';

export type { ConfigKey } from './config-settings.js';

/** Where loadConfig reads from: parsed CLI flags keyed by ConfigKey, an environment, and the directory relative paths resolve against. */
export interface ConfigSources {
  flags: Partial<Record<ConfigKey, string | number | boolean>>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** One source of values, with how it names a setting in a problem line. */
interface Layer {
  label(key: string): string;
  get(key: ConfigKey): RawValue;
}

const CONFIG_ENV = 'STEPFLOW_CONFIG';
const FILE_KEYS: ReadonlySet<string> = new Set(CONFIG_SETTINGS.map((s) => s.key));

/** Builds the server Config from defaults, an optional JSON config file, STEPFLOW_* env and flags; throws ConfigError listing every problem. */
export function loadConfig(sources: ConfigSources): Config {
  const problems: string[] = [];
  const cwd = resolve(sources.cwd);
  const values = new Map<keyof Config, SettingValue>();
  for (const layer of collectLayers(sources, cwd, problems)) {
    for (const setting of CONFIG_SETTINGS) applySetting(setting, layer, cwd, values, problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(withDefaults(values, cwd));
}

// Precedence is the order of this list: a later layer overwrites an earlier one.
function collectLayers(sources: ConfigSources, cwd: string, problems: string[]): Layer[] {
  const layers: Layer[] = [];
  const file = readConfigFile(sources, cwd, problems);
  if (file) layers.push(file);
  layers.push({
    label: (key) => envName(key),
    // An empty variable counts as unset, as it does for most tools that read env.
    get: (key) => nonEmpty(sources.env[envName(key)]),
  });
  layers.push({
    label: (key) => flagName(key),
    get: (key) => sources.flags[key],
  });
  return layers;
}

function readConfigFile(sources: ConfigSources, cwd: string, problems: string[]): Layer | undefined {
  const fromFlag = sources.flags.config;
  const named = fromFlag ?? nonEmpty(sources.env[CONFIG_ENV]);
  if (named === undefined) return undefined;
  const via = fromFlag !== undefined ? '--config' : CONFIG_ENV;
  const path = resolve(cwd, String(named));
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${via}: cannot use config file ${path}: ${describeReadError(err)}`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${path}: must contain a JSON object of settings`);
    return undefined;
  }
  const data = parsed as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (!FILE_KEYS.has(key)) problems.push(`${path}: unknown key "${key}"${suggestKey(key)}`);
  }
  return { label: (key) => `${path}: ${key}`, get: (key) => (Object.hasOwn(data, key) ? data[key] : undefined) };
}

function describeReadError(err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (err instanceof SyntaxError) return `not valid JSON (${err.message})`;
  return err instanceof Error ? err.message : String(err);
}

// Catches the usual slips (snake_case, env-style or kebab-case names) without a fuzzy matcher.
function suggestKey(key: string): string {
  const squash = (s: string): string => s.replace(/[-_]/g, '').toLowerCase();
  const wanted = squash(key.replace(/^STEPFLOW_/i, ''));
  const match =
    [...FILE_KEYS].find((k) => squash(k) === wanted) ??
    CONFIG_SETTINGS.find((s) => squash(s.env.replace(/^STEPFLOW_/, '')) === wanted || squash(s.flag) === wanted)?.key;
  return match ? ` (did you mean "${match}"?)` : '';
}

// Every source's value is validated, even one a later source overrides: a broken setting is never silently ignored.
function applySetting(
  setting: ConfigSetting,
  layer: Layer,
  cwd: string,
  values: Map<keyof Config, SettingValue>,
  problems: string[],
): void {
  const raw = layer.get(setting.key);
  if (raw === undefined) return;
  const parsed = setting.parse(raw, cwd);
  if (parsed.ok) values.set(setting.key, parsed.value);
  else problems.push(`${layer.label(setting.key)}: ${parsed.reason}`);
}

const DEFAULT_SECRET_NAME_PATTERNS = ['*TOKEN*', '*SECRET*', '*PASSWORD*', '*_KEY'];

function withDefaults(values: Map<keyof Config, SettingValue>, cwd: string): Config {
  const text = (key: keyof Config, fallback: string): string => String(values.get(key) ?? fallback);
  const num = (key: keyof Config, fallback: number): number => Number(values.get(key) ?? fallback);
  const list = (key: keyof Config, fallback: readonly string[]): readonly string[] =>
    Object.freeze([...((values.get(key) as readonly string[] | undefined) ?? fallback)]);
  const host = text('host', '127.0.0.1');
  return {
    host,
    port: num('port', 8080),
    websocketHost: text('websocketHost', host),
    websocketPort: num('websocketPort', 8765),
    websocketPortIsDefault: !values.has('websocketPort'),
    storagePath: text('storagePath', resolve(cwd, 'data')),
    artifactPath: text('artifactPath', join(text('storagePath', resolve(cwd, 'data')), 'artifacts')),
    databaseUrl: values.has('databaseUrl') ? text('databaseUrl', '') : null,
    databasePool: num('databasePool', 10),
    databaseReadUrl: values.has('databaseReadUrl') ? text('databaseReadUrl', '') : null,
    readYourWritesSeconds: num('readYourWritesSeconds', 10),
    outageBufferMb: num('outageBufferMb', 64),
    // Port 0 picks a port at listen time, so the process id tells such servers on one machine apart.
    serverName: text(
      'serverName',
      `${hostname()}:${num('port', 8080) === 0 ? `pid-${process.pid}` : num('port', 8080)}`,
    ),
    serverLostSeconds: num('serverLostSeconds', 30),
    logLevel: text('logLevel', 'info') as Config['logLevel'],
    cacheSizeKib: num('cacheSizeKib', 65536),
    walAutocheckpoint: num('walAutocheckpoint', 1000),
    maxConcurrent: num('maxConcurrent', 16),
    killGraceSeconds: num('killGraceSeconds', 5),
    markerMode: text('markerMode', 'line_start') as Config['markerMode'],
    markers: list('markers', DEFAULT_MARKER_DIALECTS) as Config['markers'],
    defaultWorkingDirectory: text('defaultWorkingDirectory', cwd),
    workingRoots: list('workingRoots', []),
    runAs: values.has('runAs') ? text('runAs', '') : null,
    childEnvPassthrough: list('childEnvPassthrough', []),
    logFlushMs: num('logFlushMs', 50),
    logBatchLines: num('logBatchLines', 1000),
    allowedOrigins: Object.freeze([...((values.get('allowedOrigins') as readonly string[] | undefined) ?? [])]),
    allowedHosts: Object.freeze([...((values.get('allowedHosts') as readonly string[] | undefined) ?? [])]),
    artifactRoots: Object.freeze([...((values.get('artifactRoots') as readonly string[] | undefined) ?? [])]),
    maxArtifactBytes: num('maxArtifactBytes', 1_073_741_824),
    authEnabled: values.get('authEnabled') === true,
    authMethod: 'api_key',
    apiKey: values.has('apiKey') ? text('apiKey', '') : null,
    allowUnauthenticated: values.get('allowUnauthenticated') === true,
    sessionHours: num('sessionHours', 12),
    rateLimitCreatesPerMinute: num('rateLimitCreatesPerMinute', 0),
    rateLimitRequestsPerMinute: num('rateLimitRequestsPerMinute', 0),
    authFailuresPerMinute: num('authFailuresPerMinute', 10),
    maxQueued: num('maxQueued', 10_000),
    secretNamePatterns: Object.freeze([
      ...((values.get('secretNamePatterns') as readonly string[] | undefined) ?? DEFAULT_SECRET_NAME_PATTERNS),
    ]),
    maxProcesses: num('maxProcesses', 512),
    retentionDays: num('retentionDays', 0),
    retentionMaxExecutions: num('retentionMaxExecutions', 0),
    localExecutor: values.get('localExecutor') !== false,
    agentLostSeconds: num('agentLostSeconds', 60),
  };
}

function settingFor(key: string): ConfigSetting | undefined {
  return CONFIG_SETTINGS.find((s) => s.key === key);
}

function envName(key: string): string {
  return settingFor(key)?.env ?? key;
}

function flagName(key: string): string {
  return settingFor(key)?.flag ?? `--${key}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
