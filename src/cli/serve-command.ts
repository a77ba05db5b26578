// Owns the `stepflow serve` subcommand: its flags (built from the settings table), start-up and shutdown.
import { Option, type Command } from 'commander';
import type { Config } from '../config/config.js';
import { addExamples } from './add-examples.js';
import { checkExposure } from '../config/check-exposure.js';
import { ConfigError } from '../config/config-error.js';
import { CONFIG_SETTINGS, type ConfigKey } from '../config/config-settings.js';
import { errorCode } from '../core/error-code.js';
import { loadConfig } from '../config/load-config.js';

type ConfigFlags = Partial<Record<ConfigKey, string | number | boolean>>;

/** What serve needs from the started app (the shape `startApp` in src/app.ts resolves to). */
interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** Adds `serve` to the program, with one flag per Config field plus `--config`. */
export function registerServeCommand(program: Command): Command {
  const serve = program.command('serve').description('start the StepFlow server (HTTP API, dashboard, WebSocket)');
  const keyByAttribute = new Map<string, ConfigKey>();
  const add = (option: Option, key: ConfigKey): void => {
    serve.addOption(option);
    keyByAttribute.set(option.attributeName(), key);
  };
  for (const s of CONFIG_SETTINGS) {
    // An empty valueName makes an on/off switch (e.g. --auth); the env var and config file can also turn it off.
    add(
      new Option(`${s.flag} ${s.valueName}`.trim(), `${s.description} [env ${s.env}, default ${s.defaultText}]`),
      s.key,
    );
  }
  add(
    new Option(
      '--config <file>',
      'JSON file of settings, keys as in docs/configuration.md [env STEPFLOW_CONFIG, default none]',
    ),
    'config',
  );
  // The name earlier versions documented; kept so existing unit files keep working.
  add(new Option('--auth-enabled').hideHelp(), 'authEnabled');
  // Defaults are deliberately not given to commander: loadConfig owns them, so precedence stays in one place.
  serve.action(async (opts: Record<string, string | boolean | undefined>) => {
    const flags: ConfigFlags = {};
    for (const [attribute, value] of Object.entries(opts)) {
      const key = keyByAttribute.get(attribute);
      if (key !== undefined && value !== undefined) flags[key] = value;
    }
    await runServe(flags);
  });
  return addExamples(serve, [
    ['stepflow serve', 'http://127.0.0.1:8080, storage in ./data'],
    ['stepflow serve --port 9090 --storage /var/lib/stepflow', 'another port and storage directory'],
    ['stepflow serve --config stepflow.json', 'settings from a JSON file (flags still win)'],
    ['STEPFLOW_API_KEY="$KEY" stepflow serve --auth', 'require an API key ($KEY: 16 characters or more)'],
  ]);
}

async function runServe(flags: ConfigFlags): Promise<void> {
  const config = loadOrExit(flags);
  checkExposureOrExit(config);
  let app: RunningApp;
  try {
    // Loaded lazily so other subcommands (and --help) never pay for the server's modules.
    const { startApp } = await import('../app.js');
    app = await startApp(config, { env: process.env });
  } catch (err) {
    process.stderr.write(`stepflow: ${describeStartError(err, config)}\n`);
    process.exit(1);
  }
  process.stdout.write(`StepFlow listening on ${app.url} (storage: ${config.storagePath})\n`);
  closeOnSignals(app);
}

function loadOrExit(flags: ConfigFlags): Config {
  try {
    return loadConfig({ flags, env: process.env, cwd: process.cwd() });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) process.stderr.write(`stepflow: ${problem}\n`);
    process.exit(2);
  }
}

// One clear line and exit 2, like a configuration problem; the warning repeats on every start so nobody forgets it.
function checkExposureOrExit(config: Config): void {
  const verdict = checkExposure(config);
  if (verdict.refusal) {
    process.stderr.write(`stepflow: ${verdict.refusal}\n`);
    process.exit(2);
  }
  for (const warning of verdict.warnings) process.stderr.write(`stepflow: ${warning}\n`);
}

function describeStartError(err: unknown, config: Config): string {
  const e = (err ?? {}) as { address?: string; port?: number };
  const where = formatHostPort(e.address ?? config.host, e.port ?? config.port);
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: address in use`;
    case 'EACCES':
      return `cannot listen on ${where}: permission denied`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: address not available on this machine`;
    case 'ENOTFOUND':
      return `cannot listen on ${where}: unknown host`;
    default:
      return `cannot start: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// The first signal shuts down cleanly (scripts get their grace period); a second one means "now".
function closeOnSignals(app: RunningApp): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(signal === 'SIGINT' ? 130 : 143);
    closing = true;
    process.stderr.write(`stepflow: ${signal} received, shutting down (send it again to exit at once)\n`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `stepflow: error while shutting down: ${err instanceof Error ? err.message : String(err)}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
