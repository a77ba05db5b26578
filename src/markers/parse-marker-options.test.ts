// Tests parseMarkerOptions: the bracket, brace and double-dash option syntaxes of STEP_START.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMarkerOptions } from './parse-marker-options.js';

function options(text: string): Record<string, unknown> {
  const result = parseMarkerOptions(text);
  assert.ok(result.ok, `expected options to parse: ${JSON.stringify(result)}`);
  return result.options;
}

function problem(text: string): string {
  const result = parseMarkerOptions(text);
  assert.ok(!result.ok, `expected a problem for ${text}`);
  return result.problem;
}

describe('parseMarkerOptions', () => {
  it('reads a bracket block', () => {
    assert.deepEqual(options('[stop_on_error=true]'), { stop_on_error: true });
    assert.deepEqual(options('[stop_on_error=true, duration=30]'), { stop_on_error: true, duration: 30 });
  });

  it('reads a brace block with bare or quoted keys and values', () => {
    assert.deepEqual(options('{duration:30}'), { duration: 30 });
    assert.deepEqual(options('{"stop_on_error": true, "owner": "ops team"}'), {
      stop_on_error: true,
      owner: 'ops team',
    });
    assert.deepEqual(options("{'k': 'v'}"), { k: 'v' });
  });

  it('reads double-dash options', () => {
    assert.deepEqual(options('--stop_on_error=true --duration=12.5'), { stop_on_error: true, duration: 12.5 });
    assert.deepEqual(options('--note="two words"'), { note: 'two words' });
  });

  it('reads blocks that follow one another, later keys winning', () => {
    assert.deepEqual(options('[a=1] {b:2} --a=3'), { a: 3, b: 2 });
  });

  it('accepts empty blocks and empty entries', () => {
    assert.deepEqual(options('[]'), {});
    assert.deepEqual(options('{ }'), {});
    assert.deepEqual(options('[a=1, ]'), { a: 1 });
  });

  it('keeps separators inside quoted values', () => {
    assert.deepEqual(options('[note="a, b ] c"]'), { note: 'a, b ] c' });
    assert.deepEqual(options('{url:"http://x:1/"}'), { url: 'http://x:1/' });
  });

  it('keeps a value from the first separator on', () => {
    assert.deepEqual(options('[expr=a=b]'), { expr: 'a=b' });
  });

  it('treats an apostrophe inside a word as text, not a quote', () => {
    assert.deepEqual(options("[note=don't stop]"), { note: "don't stop" });
  });

  it('reports an unclosed block', () => {
    assert.match(problem('[a=1'), /"\[" option block is not closed/);
    assert.match(problem('{a:1'), /"\{" option block is not closed/);
    assert.match(problem('[a="1]'), /not closed/);
  });

  it('reports an option without its separator', () => {
    assert.match(problem('[fast]'), /option "fast" has no "="/);
    assert.match(problem('{a=1}'), /option "a=1" has no ":"/);
    assert.match(problem('--fast'), /option "fast" has no "="/);
  });

  it('reports an option with an empty name', () => {
    assert.match(problem('[=1]'), /empty name/);
  });

  it('reports text after the options', () => {
    assert.match(problem('[a=1] trailing'), /unexpected text "trailing"/);
  });
});
