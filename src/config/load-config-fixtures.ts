// Test helpers for loadConfig's suites: a scratch folder with a config file, and the problems a bad setting raises.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ConfigError } from './config-error.js';

/** The problems `run` throws as a ConfigError (fails the test when it throws anything else or nothing). */
export function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected loadConfig to throw ConfigError');
}

/** A scratch folder (with a `work` folder in it) for the enclosing suite, removed after it. */
export function useConfigDir(): { readonly dir: string; writeConfig(name: string, content: unknown): string } {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepflow-config-'));
    mkdirSync(join(dir, 'work'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    writeConfig(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    },
  };
}
