// Tests parseMarkerValue: how option and META values are typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMarkerValue } from './parse-marker-value.js';

describe('parseMarkerValue', () => {
  it('reads true and false as booleans, in any case', () => {
    assert.equal(parseMarkerValue('true'), true);
    assert.equal(parseMarkerValue('False'), false);
    assert.equal(parseMarkerValue(' TRUE '), true);
  });

  it('reads numerals as numbers', () => {
    assert.equal(parseMarkerValue('30'), 30);
    assert.equal(parseMarkerValue('-2.5'), -2.5);
    assert.equal(parseMarkerValue('.5'), 0.5);
    assert.equal(parseMarkerValue('1e3'), 1000);
  });

  it('keeps anything else as a trimmed string', () => {
    assert.equal(parseMarkerValue(' hello world '), 'hello world');
    assert.equal(parseMarkerValue('30s'), '30s');
    assert.equal(parseMarkerValue('0x10'), '0x10');
    assert.equal(parseMarkerValue(''), '');
    assert.equal(parseMarkerValue('Infinity'), 'Infinity');
  });

  it('strips surrounding quotes and keeps quoted values as strings', () => {
    assert.equal(parseMarkerValue('"hello"'), 'hello');
    assert.equal(parseMarkerValue("'a b'"), 'a b');
    assert.equal(parseMarkerValue('"30"'), '30');
    assert.equal(parseMarkerValue('"true"'), 'true');
    assert.equal(parseMarkerValue('"say \\"hi\\""'), 'say "hi"');
  });

  it('leaves a lone or mismatched quote alone', () => {
    assert.equal(parseMarkerValue('"'), '"');
    assert.equal(parseMarkerValue('"abc\''), '"abc\'');
  });
});
