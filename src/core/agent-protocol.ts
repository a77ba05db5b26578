// Owns the agent protocol: every message an agent and a server exchange, as one versioned, typed union.
import type { Command, ExecutionStatus } from './execution.js';
import type { StepState } from './step.js';
import type { Annotation } from './annotation.js';

/** The protocol version this build speaks; a server refuses any other with `agent_protocol_unsupported`. */
export const AGENT_PROTOCOL_VERSION = 2;

/** Most effects one batch may carry, and most lines one `lines` effect may; a larger batch is refused (`validation_failed`). */
export const AGENT_MAX_BATCH_EFFECTS = 5_000;

/** Longest line an agent may send, in characters (its engine cuts lines at 1 MiB). */
export const AGENT_MAX_LINE_CHARS = 4 * 1024 * 1024;

/** Most batches one request may carry (an agent sends at most one batch per execution at a time). */
export const AGENT_MAX_BATCHES_PER_REQUEST = 1024;

/** Most bytes of one batches request body. */
export const AGENT_MAX_BATCH_BYTES = 8 * 1024 * 1024;

/** A step as the engine reports it. */
export type AgentStep = StepState;

/** The execution's counters as the engine reports them. */
export interface AgentCounters {
  status: ExecutionStatus;
  exit_code: number | null;
  error_message: string | null;
  started_at: number | null;
  completed_at: number | null;
  total_steps: number;
  completed_steps: number;
  failed_steps: number;
  current_step_index: number | null;
}

/** One engine effect as an agent sends it; the same shapes the local executor hands the service. */
export type AgentEffect =
  | { type: 'execution_changed'; execution: AgentCounters }
  | { type: 'step_changed'; step: AgentStep }
  | { type: 'metadata_changed'; step_index: number | null; key: string; value: unknown }
  | {
      type: 'log';
      line: {
        line: number;
        ts: number;
        stream: 'stdout' | 'stderr' | 'system';
        step_index: number | null;
        content: string;
      };
    }
  | {
      /** Lines `first`, `first` + 1, … of one stream and step, read at one time `ts`: how agents send almost every line. */
      type: 'lines';
      first: number;
      ts: number;
      stream: 'stdout' | 'stderr' | 'system';
      step_index: number | null;
      content: string[];
    }
  | { type: 'artifact'; path: string; description: string | null; step_index: number | null; at: number }
  | { type: 'annotation'; annotation: Annotation; kept: boolean }
  | { type: 'finished'; execution: AgentCounters & { metadata: Record<string, unknown> } };

/** An execution handed to an agent: what to run and how its engine masks output. */
export interface AgentAssignment {
  execution_id: string;
  name: string;
  command: Command;
  /** Empty: the agent runs it in a fresh folder under its work dir. */
  working_directory: string;
  environment: Record<string, string>;
  timeout_seconds: number | null;
  metadata: Record<string, unknown>;
  marker_mode: 'line_start' | 'anywhere';
  /** Marker dialects the agent's engine reads (absent from an older server: StepFlow's own markers). */
  markers?: string[];
  secrets: string[];
}

/** Agent -> server: join (or rejoin) the pool. `running`: executions this agent process still runs (after a reconnect). */
export interface AgentRegister {
  type: 'register';
  protocol: number;
  name: string;
  labels: string[];
  version: string;
  concurrency: number;
  running: string[];
}

/** Agent -> server: I am alive; answers at once when there is work, a cancel or a notice, else after `wait_ms`. */
export interface AgentHeartbeat {
  type: 'heartbeat';
  protocol: number;
  session: string;
  running: string[];
  /** How many more executions the agent will take now. */
  free_slots: number;
  wait_ms: number;
}

/** The next numbered batch of one execution's engine effects. */
export interface AgentBatch {
  execution_id: string;
  /** 1, 2, 3, … per execution; the server applies each number once and refuses a gap. */
  seq: number;
  effects: AgentEffect[];
}

/** Agent -> server: batches of one or more executions (at most one per execution), each applied and answered on its own. */
export interface AgentBatches {
  type: 'batches';
  protocol: number;
  session: string;
  batches: AgentBatch[];
}

/** Every message an agent sends. */
export type AgentMessage = AgentRegister | AgentHeartbeat | AgentBatches;

/** Server -> agent: answer to register. */
export interface AgentRegistered {
  type: 'registered';
  protocol: number;
  session: string;
  /** How often the agent must be heard from; silence for `lost_seconds` fails its executions. */
  heartbeat_ms: number;
  lost_seconds: number;
  /**
   * The server's STEPFLOW_SECRET_NAME_PATTERNS (`*` = any text, case-insensitive): the agent withholds its own
   * variables so named from scripts and masks their values. Absent (an older server): the default patterns.
   */
  secret_name_patterns?: string[];
  /** The server's STEPFLOW_CHILD_ENV_PASSTHROUGH: variables scripts inherit whatever they look like. */
  env_passthrough?: string[];
  /** The server's STEPFLOW_MAX_ARTIFACT_BYTES: a directory artifact whose contents pass it is not packed. */
  max_artifact_bytes?: number;
}

/** Server -> agent: answer to a heartbeat. */
export interface AgentInstructions {
  type: 'instructions';
  /** Executions newly held by this agent (also re-sent if the agent's running list lacks one it holds but never reported on). */
  assign: AgentAssignment[];
  /** Executions to stop (cancel or server-side failure). */
  cancel: string[];
  /** Executions the server no longer holds for this agent: stop them and drop their unsent batches. */
  forget: string[];
  /** Lines the server adds to a run's log; the agent's engine numbers them. */
  notices: { execution_id: string; content: string }[];
}

/** Server -> agent: a batch is stored (or was already). `last_line`: highest line number now stored. */
export interface AgentAck {
  type: 'ack';
  execution_id: string;
  seq: number;
  last_line: number;
  duplicate: boolean;
}

/** Server -> agent: a batch was refused; the others of its request are not affected. `status` is the HTTP status the refusal would have alone. */
export interface AgentBatchRefusal {
  type: 'refused';
  execution_id: string;
  seq: number;
  status: number;
  code: string;
  error: string;
  /** The offending field within the batch (`seq`, `effects.3`), when there is one. */
  field?: string;
}

/** Server -> agent: answer to a batches request, one result per batch, in the request's order. */
export interface AgentBatchResults {
  type: 'results';
  results: (AgentAck | AgentBatchRefusal)[];
}

/** Every message a server sends an agent. */
export type AgentReply = AgentRegistered | AgentInstructions | AgentBatchResults;
