// Owns the table of settings: for each Config field its flag, env var, default and value parser (the rows live in settings-*.ts by area).
import type { Config } from './config.js';
import type { ParseResult, RawValue } from './parse-setting-values.js';
import { ACCESS_SETTINGS } from './settings-access.js';
import { LIMIT_SETTINGS } from './settings-limits.js';
import { RUN_SETTINGS } from './settings-runs.js';
import { SERVER_SETTINGS } from './settings-server.js';

export type { ParseResult, RawValue, SettingValue } from './parse-setting-values.js';

/** One configurable Config field and how each source names it. */
export interface ConfigSetting {
  key: keyof Config;
  env: string;
  flag: string;
  /** Placeholder shown in `--help`, e.g. `<port>`; empty for an on/off switch. */
  valueName: string;
  /** The default as a person reads it (help text and docs). */
  defaultText: string;
  description: string;
  parse(raw: RawValue, cwd: string): ParseResult;
}

/** Every key the `flags` source may carry: the Config fields plus the config-file path. */
export type ConfigKey = keyof Config | 'config';

/** All settings in the order `--help` and docs/configuration.md list them. */
export const CONFIG_SETTINGS: readonly ConfigSetting[] = [
  ...SERVER_SETTINGS,
  ...RUN_SETTINGS,
  ...ACCESS_SETTINGS,
  ...LIMIT_SETTINGS,
];
