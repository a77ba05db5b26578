// Owns the JSON Schemas (TypeBox) that validate requests and describe responses in the OpenAPI document.
import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoTime = Type.String({ format: 'date-time' });
const Json = Type.Record(Type.String(), Type.Unknown());

/** Statuses of an execution. */
export const ExecutionStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

/** Body of POST /api/executions (contract §2 plus our `timeout` and `user`); unknown fields are refused. */
export const CreateExecutionBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    command: Type.Union([
      Type.String({ minLength: 1, maxLength: 100_000 }),
      Type.Array(Type.String({ maxLength: 100_000 }), { minItems: 1, maxItems: 10_000 }),
    ]),
    working_directory: Type.Optional(Type.String({ maxLength: 4096 })),
    environment: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1_000_000 }))),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100 })),
    metadata: Type.Optional(Json),
    user: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    timeout: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 31_536_000 }))),
    runs_on: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 })),
    markers: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
  },
  { additionalProperties: false },
);

/** Path parameter of every /executions/{id} route. */
export const ExecutionIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** Query of GET /api/executions. */
export const ListExecutionsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    status: Type.Optional(ExecutionStatusSchema),
    user: Type.Optional(Type.String({ maxLength: 200 })),
    q: Type.Optional(Type.String({ maxLength: 500 })),
    tag: Type.Optional(Type.String({ maxLength: 100 })),
    created_after: Type.Optional(IsoTime),
    created_before: Type.Optional(IsoTime),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('created_at'),
        Type.Literal('name'),
        Type.Literal('status'),
        Type.Literal('user'),
        Type.Literal('duration'),
      ]),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);

/** Query of DELETE /api/executions/{id}. */
export const DeleteExecutionQuery = Type.Object(
  { force: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);

/** Query of GET /api/executions/{id}/logs; `step_id=none` selects output outside every step. */
export const LogsQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
    step_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('none')])),
    stream: Type.Optional(Type.Union([Type.Literal('stdout'), Type.Literal('stderr'), Type.Literal('system')])),
  },
  { additionalProperties: false },
);

/** Query of GET /api/executions/{id}/logs/raw: the same step and stream filters as the paged log; anything else is refused. */
export const RawLogQuery = Type.Object(
  {
    step_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('none')])),
    stream: Type.Optional(Type.Union([Type.Literal('stdout'), Type.Literal('stderr'), Type.Literal('system')])),
  },
  { additionalProperties: false },
);

/** An id on the wire: the number as a string (`"42"`), as the old API documented; routes accept the same text. */
export const WireIdSchema = Type.String();

/** Annotations per level. */
const AnnotationCountsSchema = Type.Object({ error: Type.Integer(), warning: Type.Integer(), notice: Type.Integer() });

/** An execution on the wire (contract §2 fields plus `timeout`). */
export const ExecutionSchema = Type.Object({
  id: WireIdSchema,
  name: Type.String(),
  command: Type.Union([Type.String(), Type.Array(Type.String())]),
  working_directory: Type.String(),
  status: ExecutionStatusSchema,
  exit_code: Nullable(Type.Integer()),
  error_message: Nullable(Type.String()),
  created_at: IsoTime,
  started_at: Nullable(IsoTime),
  completed_at: Nullable(IsoTime),
  environment: Type.Record(Type.String(), Type.String()),
  user: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  total_steps: Type.Integer(),
  completed_steps: Type.Integer(),
  failed_steps: Type.Integer(),
  current_step_index: Nullable(Type.Integer()),
  duration_seconds: Nullable(Type.Number()),
  progress_percentage: Type.Number(),
  metadata: Json,
  timeout: Nullable(Type.Number()),
  host: Nullable(Type.String()),
  runs_on: Type.Array(Type.String()),
  agent: Nullable(Type.String()),
  markers: Type.Array(Type.String()),
  annotation_counts: AnnotationCountsSchema,
});

/** An annotation on the wire. */
export const AnnotationSchema = Type.Object({
  id: WireIdSchema,
  execution_id: WireIdSchema,
  step_id: Nullable(WireIdSchema),
  step_index: Nullable(Type.Integer()),
  log_line: Type.Integer(),
  level: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('notice')]),
  message: Type.String(),
  file: Nullable(Type.String()),
  line: Nullable(Type.Integer()),
  col: Nullable(Type.Integer()),
  end_line: Nullable(Type.Integer()),
  end_col: Nullable(Type.Integer()),
  title: Nullable(Type.String()),
  created_at: IsoTime,
});

/** A page of annotations on the wire. */
export const AnnotationPageSchema = Type.Object({
  annotations: Type.Array(AnnotationSchema),
  counts: AnnotationCountsSchema,
  total_count: Type.Integer(),
  kept_count: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  more: Type.Integer(),
});

/** A step summary on the wire. */
export const StepSummarySchema = Type.Object({
  step_id: Nullable(WireIdSchema),
  step_index: Type.Integer(),
  markdown: Type.String(),
  truncated: Type.Boolean(),
});

/** Query of GET /api/executions/{id}/annotations. */
export const AnnotationsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

/** A step on the wire. */
export const StepSchema = Type.Object({
  id: WireIdSchema,
  execution_id: WireIdSchema,
  name: Type.String(),
  description: Nullable(Type.String()),
  index: Type.Integer(),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('running'),
    Type.Literal('completed'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
    Type.Literal('skipped'),
  ]),
  exit_code: Nullable(Type.Integer()),
  error_message: Nullable(Type.String()),
  created_at: IsoTime,
  started_at: Nullable(IsoTime),
  completed_at: Nullable(IsoTime),
  estimated_duration: Nullable(Type.Number()),
  stop_on_error: Type.Boolean(),
  duration_seconds: Nullable(Type.Number()),
  metadata: Json,
  first_line: Nullable(Type.Integer()),
  last_line: Nullable(Type.Integer()),
  parent_id: Nullable(WireIdSchema),
  depth: Type.Integer(),
  collapsed: Type.Boolean(),
  progress: Nullable(Type.Number()),
  progress_message: Nullable(Type.String()),
  close_line: Nullable(Type.Integer()),
});

/** An artifact on the wire. */
export const ArtifactSchema = Type.Object({
  id: WireIdSchema,
  execution_id: WireIdSchema,
  step_id: Nullable(WireIdSchema),
  name: Type.String(),
  description: Nullable(Type.String()),
  file_path: Type.String(),
  file_name: Type.String(),
  file_size: Type.Integer(),
  mime_type: Type.String(),
  artifact_type: Type.String(),
  created_at: IsoTime,
  tags: Type.Array(Type.String()),
  is_public: Type.Boolean(),
  retention_days: Nullable(Type.Integer()),
  download_url: Type.String(),
});

/** Artifact kinds of the contract. */
export const ArtifactTypeSchema = Type.Union(
  ['document', 'image', 'data', 'log', 'archive', 'other'].map((type) => Type.Literal(type)),
);

/** Path parameter of every /artifacts/{id} route. */
export const ArtifactIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** Query of GET /api/artifacts. */
export const ListArtifactsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
    execution_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    step_id: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    artifact_type: Type.Optional(ArtifactTypeSchema),
  },
  { additionalProperties: false },
);

/** A log line on the wire. */
export const LogLineSchema = Type.Object({
  line: Type.Integer(),
  timestamp: IsoTime,
  stream: Type.String(),
  step_id: Nullable(WireIdSchema),
  step_index: Nullable(Type.Integer()),
  content: Type.String(),
  level: Type.String(),
});

/** Wraps a data schema in the contract's envelope. */
export function envelope<T extends Type.TSchema>(data: T) {
  return Type.Object({
    success: Type.Boolean(),
    data,
    error: Nullable(Type.String()),
    timestamp: IsoTime,
  });
}

/** The error envelope (every 4xx/5xx). */
export const ErrorEnvelope = Type.Object({
  success: Type.Literal(false),
  data: Type.Null(),
  error: Type.String(),
  code: Type.String(),
  field: Type.Optional(Type.String()),
  timestamp: IsoTime,
});
