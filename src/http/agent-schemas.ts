// Owns the JSON Schemas of the agent protocol's requests: every field typed and bounded, unknown fields refused.
import Type from 'typebox';
import { AGENT_MAX_BATCH_EFFECTS, AGENT_MAX_BATCHES_PER_REQUEST } from '../core/agent-protocol.js';
import { ExecutionStatusSchema } from './schemas.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;
const Json = Type.Record(Type.String(), Type.Unknown());
const Time = Type.Number({ minimum: 0 });
const Id = Type.String({ pattern: '^[1-9][0-9]{0,15}$' });
const Label = Type.String({ minLength: 1, maxLength: 64 });
const Protocol = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Session = Type.String({ minLength: 1, maxLength: 200 });

const Counters = {
  status: ExecutionStatusSchema,
  exit_code: Nullable(Type.Integer()),
  error_message: Nullable(Type.String({ maxLength: 100_000 })),
  started_at: Nullable(Time),
  completed_at: Nullable(Time),
  total_steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  completed_steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  failed_steps: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  current_step_index: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};

const Step = Type.Object(
  {
    index: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    name: Type.String({ maxLength: 10_000 }),
    description: Nullable(Type.String({ maxLength: 100_000 })),
    status: Type.Union(
      ['pending', 'running', 'completed', 'failed', 'cancelled', 'skipped'].map((s) => Type.Literal(s)),
    ),
    exit_code: Nullable(Type.Integer()),
    error_message: Nullable(Type.String({ maxLength: 100_000 })),
    created_at: Time,
    started_at: Nullable(Time),
    completed_at: Nullable(Time),
    estimated_duration: Nullable(Type.Number()),
    stop_on_error: Type.Boolean(),
    metadata: Json,
    first_line: Nullable(Type.Integer({ minimum: 1 })),
    last_line: Nullable(Type.Integer({ minimum: 1 })),
    parent_index: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    depth: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    collapsed: Type.Boolean(),
    progress: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
    progress_message: Nullable(Type.String({ maxLength: 100_000 })),
    // Optional: agents built before it send none.
    close_line: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  strict,
);

const Position = Nullable(Type.Integer({ minimum: 0 }));
const Annotation = Type.Object(
  {
    level: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('notice')]),
    message: Type.String({ maxLength: 100_000 }),
    file: Nullable(Type.String({ maxLength: 4096 })),
    line: Position,
    col: Position,
    end_line: Position,
    end_col: Position,
    title: Nullable(Type.String({ maxLength: 10_000 })),
    step_index: Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    log_line: Type.Integer({ minimum: 1 }),
    at: Time,
  },
  strict,
);

const Stream = Type.Union([Type.Literal('stdout'), Type.Literal('stderr'), Type.Literal('system')]);

// Lines first: almost every effect is one, and the union is tried in order. A line's length is checked when the batch
// is planned (a string's length is at hand there; a JSON Schema maxLength counts every character of every line).
const Effect = Type.Union([
  Type.Object(
    {
      type: Type.Literal('lines'),
      first: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      ts: Time,
      stream: Stream,
      step_index: Nullable(Type.Integer({ minimum: 0 })),
      content: Type.Array(Type.String(), { minItems: 1, maxItems: AGENT_MAX_BATCH_EFFECTS }),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('log'),
      line: Type.Object(
        {
          line: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
          ts: Time,
          stream: Stream,
          step_index: Nullable(Type.Integer({ minimum: 0 })),
          content: Type.String(),
        },
        strict,
      ),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('execution_changed'), execution: Type.Object(Counters, strict) }, strict),
  Type.Object({ type: Type.Literal('step_changed'), step: Step }, strict),
  Type.Object(
    {
      type: Type.Literal('metadata_changed'),
      step_index: Nullable(Type.Integer({ minimum: 0 })),
      key: Type.String({ maxLength: 1000 }),
      value: Type.Unknown(),
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('artifact'),
      path: Type.String({ maxLength: 4096 }),
      description: Nullable(Type.String({ maxLength: 10_000 })),
      step_index: Nullable(Type.Integer({ minimum: 0 })),
      at: Time,
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('annotation'), annotation: Annotation, kept: Type.Boolean() }, strict),
  Type.Object(
    { type: Type.Literal('finished'), execution: Type.Object({ ...Counters, metadata: Json }, strict) },
    strict,
  ),
]);

/** Body of POST /api/agent/register. */
export const AgentRegisterBody = Type.Object(
  {
    type: Type.Literal('register'),
    protocol: Protocol,
    name: Label,
    labels: Type.Array(Label, { maxItems: 64 }),
    version: Type.String({ maxLength: 100 }),
    concurrency: Type.Integer({ minimum: 1, maximum: 1024 }),
    running: Type.Array(Id, { maxItems: 1024 }),
  },
  strict,
);

/** Body of POST /api/agent/heartbeat. */
export const AgentHeartbeatBody = Type.Object(
  {
    type: Type.Literal('heartbeat'),
    protocol: Protocol,
    session: Session,
    running: Type.Array(Id, { maxItems: 1024 }),
    free_slots: Type.Integer({ minimum: 0, maximum: 1024 }),
    wait_ms: Type.Integer({ minimum: 0, maximum: 60_000 }),
  },
  strict,
);

const Batch = Type.Object(
  {
    execution_id: Id,
    seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    effects: Type.Array(Effect, { maxItems: AGENT_MAX_BATCH_EFFECTS }),
  },
  strict,
);

/** Body of POST /api/agent/batches. */
export const AgentBatchesBody = Type.Object(
  {
    type: Type.Literal('batches'),
    protocol: Protocol,
    session: Session,
    batches: Type.Array(Batch, { minItems: 1, maxItems: AGENT_MAX_BATCHES_PER_REQUEST }),
  },
  strict,
);
