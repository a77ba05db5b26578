// Owns response serialization: fast-json-stringify, with nullable fields compiled as type lists instead of anyOf.
import type { FastifySerializerCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

type SchemaNode = Record<string, unknown>;

const SIMPLE_TYPES = new Set(['string', 'integer', 'number', 'boolean']);
/** Keywords whose meaning a type list would not keep; a nullable schema carrying one stays an anyOf. */
const KEEP_AS_ANY_OF = ['anyOf', 'oneOf', 'allOf', 'not', 'if', 'const', 'enum', '$ref'];

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The non-null member of `anyOf: [S, {type: 'null'}]` (either order) when S is a plain scalar schema, else null. */
function nullableScalar(anyOf: unknown): SchemaNode | null {
  if (!Array.isArray(anyOf) || anyOf.length !== 2 || !anyOf.every(isNode)) return null;
  const [first, second] = anyOf as [SchemaNode, SchemaNode];
  const other = second.type === 'null' ? first : first.type === 'null' ? second : null;
  if (other === null || typeof other.type !== 'string' || !SIMPLE_TYPES.has(other.type)) return null;
  return KEEP_AS_ANY_OF.some((keyword) => keyword in other) ? null : other;
}

/**
 * A copy of the schema in which every `anyOf: [scalar, null]` (TypeBox's `Union([T, Null()])`) is `{...T, type: [T, 'null']}`.
 * fast-json-stringify serializes an anyOf by running an Ajv validator per member (a date-time regex for every
 * nullable time), a type list by a `typeof` test: the list of 10 executions took 20 µs to serialize, 6 µs after.
 * The JSON is the same for every value the routes produce; only the OpenAPI document keeps the anyOf form.
 */
export function nullableAsTypeList(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableAsTypeList);
  if (!isNode(schema)) return schema;
  const copy: SchemaNode = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = nullableAsTypeList(value);
  const scalar = nullableScalar(copy.anyOf);
  if (scalar === null) return copy;
  const { anyOf: _anyOf, ...siblings } = copy;
  return { ...siblings, ...scalar, type: [scalar.type, 'null'] };
}

/** Returns the Fastify serializer compiler: fast-json-stringify over `nullableAsTypeList(schema)`. */
export function createSerializerCompiler(): FastifySerializerCompiler<unknown> {
  return ({ schema }) => fastJsonStringify(nullableAsTypeList(schema) as fastJsonStringify.AnySchema);
}
