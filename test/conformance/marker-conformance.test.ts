// Tests every dialect's conformance fixture: each script output in test/fixtures/markers gives exactly its expected steps, annotations, progress and masked lines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MarkerDialect } from '../../src/markers/marker-dialect.js';
import { FIXTURE_EPOCH_SECONDS, replayFixture, runMarkerFixture, type FixtureOutcome } from './run-marker-fixture.js';

const DIRECTORY = fileURLToPath(new URL('../fixtures/markers/', import.meta.url));

interface Expected extends FixtureOutcome {
  markers: MarkerDialect[];
  exit_code: number;
}

describe('marker conformance fixtures', () => {
  const fixtures = readdirSync(DIRECTORY).filter((name) => name.endsWith('.txt'));

  it('has a fixture for every dialect', () => {
    const names = fixtures.map((name) => name.replace(/\.txt$/, ''));
    for (const dialect of ['github', 'gitlab', 'azure', 'teamcity', 'buildkite', 'tap'])
      assert.ok(names.includes(dialect), `no fixture for ${dialect}`);
  });

  for (const name of fixtures) {
    it(`reads ${name} as its expectations say`, () => {
      const {
        markers,
        exit_code: exitCode,
        ...expected
      } = JSON.parse(readFileSync(join(DIRECTORY, name.replace(/\.txt$/, '.expected.json')), 'utf8')) as Expected;
      assert.deepEqual(runMarkerFixture(join(DIRECTORY, name), markers, exitCode), expected);
    });
  }

  it("uses GitLab's section timestamps as step times when near the clock, and the receive time otherwise", () => {
    const { state } = replayFixture(join(DIRECTORY, 'gitlab.txt'), ['stepflow', 'gitlab'], 0);
    const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000 - FIXTURE_EPOCH_SECONDS);
    assert.deepEqual(
      state.steps.map((step) => [step.name, seconds(step.started_at), seconds(step.completed_at)]),
      [
        ['Fetching sources', 0, 5],
        ['submodules', 3, 4],
        ['Build', 10, 20],
        ['Compile', 11, 20],
        // Closed at exit (received at 19 s), never before the start it printed.
        ['Deploy', 40, 40],
        // 1600000000 and 1999999999 are far from the clock: the lines' receive times (16 s, 18 s) stand.
        ['Far clock', 16, 18],
      ],
    );
  });

  it('remembers the line of the marker that closed each step, and none for a step closed by the next one or the exit', () => {
    const { state } = replayFixture(join(DIRECTORY, 'stepflow-nested.txt'), ['stepflow', 'github'], 1);
    assert.deepEqual(
      state.steps.map((step) => [step.name, step.close_line]),
      [
        ['Build', null],
        ['Compile', 6],
        ['Test', null],
        ['Unit', 13],
        ['inner step', 12],
        ['Deploy', null],
        ['Upload', null],
      ],
    );
  });

  it('reads the GitHub fixture as plain text when only StepFlow markers are chosen (dialects are per execution)', () => {
    const outcome = runMarkerFixture(join(DIRECTORY, 'github.txt'), ['stepflow'], 0);
    assert.deepEqual(outcome.steps, []);
    assert.deepEqual(outcome.annotations, []);
  });
});
