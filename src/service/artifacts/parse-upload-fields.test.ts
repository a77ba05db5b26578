// Tests parseUploadFields: required fields, types, tags, and errors naming the field.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/app-error.js';
import { parseUploadFields } from './parse-upload-fields.js';

const fields = (entries: Record<string, string | string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

function fieldOf(entries: Record<string, string | string[]>): string | undefined {
  try {
    parseUploadFields(fields(entries));
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'validation_failed');
    return error.field;
  }
  return assert.fail('expected a validation error');
}

describe('parseUploadFields', () => {
  it('parses every field, tags as a list or a JSON array', () => {
    assert.deepEqual(
      parseUploadFields(
        fields({
          execution_id: '4',
          name: ' Report ',
          step_id: '9',
          description: 'd',
          artifact_type: 'data',
          tags: ['a, b', '["c","a"]'],
        }),
      ),
      {
        execution_id: 4,
        name: 'Report',
        step_id: 9,
        description: 'd',
        artifact_type: 'data',
        tags: ['a', 'b', 'c'],
      },
    );
    assert.deepEqual(parseUploadFields(fields({ execution_id: '4', name: 'x' })), {
      execution_id: 4,
      name: 'x',
      step_id: null,
      description: null,
      artifact_type: null,
      tags: [],
    });
  });

  it('names the field that is missing or bad', () => {
    assert.equal(fieldOf({ name: 'x' }), 'execution_id');
    assert.equal(fieldOf({ execution_id: '-1', name: 'x' }), 'execution_id');
    assert.equal(fieldOf({ execution_id: '1' }), 'name');
    assert.equal(fieldOf({ execution_id: '1', name: 'x', step_id: 'two' }), 'step_id');
    assert.equal(fieldOf({ execution_id: '1', name: 'x', artifact_type: 'video' }), 'artifact_type');
    assert.equal(fieldOf({ execution_id: '1', name: 'x', tags: '[1]' }), 'tags');
    assert.equal(fieldOf({ execution_id: '1', name: 'x', colour: 'red' }), 'colour');
    assert.equal(fieldOf({ execution_id: ['1', '2'], name: 'x' }), 'execution_id');
  });
});
