// Tests the settings table against the reference users read: every setting is documented.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_SETTINGS } from './config-settings.js';

const REFERENCE = readFileSync(resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8');

describe('CONFIG_SETTINGS', () => {
  it('has a row in docs/configuration.md for every setting, naming its flag, variable and file key', () => {
    for (const setting of CONFIG_SETTINGS) {
      const row = REFERENCE.split('\n').find((line) => line.startsWith('| ') && line.includes(`\`${setting.env}\``));
      assert.ok(row, `${setting.env} is not in the settings table of docs/configuration.md`);
      assert.ok(row.includes(`\`${setting.flag}`), `the row of ${setting.env} does not name ${setting.flag}`);
      assert.ok(
        row.includes(`\`${setting.key}\``),
        `the row of ${setting.env} does not name the file key ${setting.key}`,
      );
    }
  });
});
