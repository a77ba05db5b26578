// Every installed package accepts the Node versions StepFlow supports, so `npm install` prints no engine warning on Node 20.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import semver from 'semver';

const root = resolve(import.meta.dirname, '../..');
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } }>;
};
const supported = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines: { node: string } })
  .engines.node;

describe('package engines', () => {
  it(`lets every locked package run on the oldest supported Node (${supported}) and on this one`, () => {
    const oldest = semver.minVersion(supported)!.version;
    const refused = Object.entries(lock.packages)
      .filter(([, entry]) => entry.engines?.node !== undefined)
      .filter(
        ([, entry]) =>
          !semver.satisfies(oldest, entry.engines!.node!) || !semver.satisfies(process.version, entry.engines!.node!),
      )
      .map(([path, entry]) => `${path}@${entry.version} wants node ${entry.engines!.node}`);
    assert.deepEqual(refused, []);
  });
});
