// Unit tests of the response serializer: nullable scalars become type lists, and the JSON stays what anyOf gave.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fastJsonStringify from 'fast-json-stringify';
import Type from 'typebox';
import { toWireExecution } from '../service/to-wire.js';
import { createSerializerCompiler, nullableAsTypeList } from './create-serializer-compiler.js';
import { ExecutionSchema, envelope } from './schemas.js';

const plain = (schema: unknown): fastJsonStringify.AnySchema =>
  JSON.parse(JSON.stringify(schema)) as fastJsonStringify.AnySchema;

describe('nullableAsTypeList', () => {
  it('turns a nullable scalar into a type list, keeping its format, at any depth', () => {
    const schema = plain(
      Type.Object({
        at: Type.Array(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
        n: Type.Union([Type.Null(), Type.Integer()]),
      }),
    );
    const rewritten = nullableAsTypeList(schema) as { properties: { at: { items: unknown }; n: unknown } };
    assert.deepEqual(rewritten.properties.at.items, { type: ['string', 'null'], format: 'date-time' });
    assert.deepEqual(rewritten.properties.n, { type: ['integer', 'null'] });
  });

  it('leaves unions that are not one scalar and null as anyOf', () => {
    const command = plain(Type.Union([Type.String(), Type.Array(Type.String())]));
    const literal = plain(Type.Union([Type.Literal('x'), Type.Null()]));
    const object = plain(Type.Union([Type.Object({ a: Type.String() }), Type.Null()]));
    for (const schema of [command, literal, object]) assert.deepEqual(nullableAsTypeList(schema), schema);
  });
});

describe('createSerializerCompiler', () => {
  it('writes the same JSON as fast-json-stringify over the anyOf schema, for set and null fields', () => {
    const schema = plain(envelope(Type.Object({ executions: Type.Array(ExecutionSchema) })));
    const serialize = createSerializerCompiler()({ schema, method: 'GET', url: '/api/executions', httpStatus: '200' });
    const finished = {
      id: 1,
      name: 'a',
      command: ['sh', '-c', 'exit 3'],
      working_directory: '/tmp',
      environment: { TOKEN: 'x' },
      tags: ['t'],
      metadata: { k: [1] },
      user: 'ann',
      timeout_seconds: 1.5,
      status: 'failed' as const,
      exit_code: 3,
      error_message: 'boom',
      created_at: 1_700_000_000_000,
      started_at: 1_700_000_000_010,
      completed_at: 1_700_000_000_900,
      total_steps: 2,
      completed_steps: 1,
      current_step_index: 1,
      failed_steps: 1,
      host: 'build-01',
      pid: 7,
      runs_on: ['gpu'],
      agent: 'build-01',
    };
    const pending = {
      ...finished,
      id: 2,
      command: 'true',
      user: null,
      timeout_seconds: null,
      status: 'pending' as const,
      exit_code: null,
      error_message: null,
      started_at: null,
      completed_at: null,
      current_step_index: null,
      failed_steps: 0,
      host: null,
      pid: null,
    };
    const body = {
      success: true,
      data: { executions: [finished, pending].map((record) => toWireExecution(record, 1_700_000_001_000)) },
      error: null,
      timestamp: new Date(0).toISOString(),
    };
    assert.equal(serialize(body), fastJsonStringify(schema)(body));
    assert.equal(serialize(body), JSON.stringify(body));
  });
});
