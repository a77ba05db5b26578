// Owns the agent routes: register, heartbeat and batches of the protocol (artifact uploads live with the artifact routes) and the agent list.
import type { FastifyRequest } from 'fastify';
import {
  AGENT_MAX_BATCH_BYTES,
  type AgentAck,
  type AgentBatch,
  type AgentBatches,
  type AgentBatchRefusal,
  type AgentBatchResults,
  type AgentHeartbeat,
  type AgentRegister,
} from '../core/agent-protocol.js';
import type { AgentCaller } from '../service/agents/agent-service.js';
import type { ExecutionService } from '../service/execution-service.js';
import { AgentBatchesBody, AgentHeartbeatBody, AgentRegisterBody } from './agent-schemas.js';
import { ok } from './envelope.js';
import { STATUS_BY_CODE, toAppError } from './errors.js';
import { principalOf } from './register-access-control.js';
import type { TypedApp } from './typed-app.js';

const tags = ['agents'];

function callerOf(request: FastifyRequest): AgentCaller {
  return { key: principalOf(request).name, address: request.ip };
}

/** One batch's outcome as the agent reads it: its acknowledgement, or the error it would have had alone (logged when unexpected). */
function resultOf(
  request: FastifyRequest,
  batch: AgentBatch,
  settled: PromiseSettledResult<AgentAck>,
): AgentAck | AgentBatchRefusal {
  if (settled.status === 'fulfilled') return settled.value;
  const error = toAppError(settled.reason);
  if (error.code === 'internal_error') request.log.error({ err: settled.reason }, 'an agent batch failed');
  return {
    type: 'refused',
    execution_id: batch.execution_id,
    seq: batch.seq,
    status: STATUS_BY_CODE[error.code],
    code: error.code,
    error: error.message,
    ...(error.field !== undefined ? { field: error.field } : {}),
  };
}

/** Registers POST /api/agent/register, /heartbeat and /batches (agent keys only) and GET /api/agents (viewers). */
export function registerAgentRoutes(app: TypedApp, service: ExecutionService): void {
  const agents = service.agents;
  app.post(
    '/api/agent/register',
    { schema: { tags, summary: 'An agent joins (or rejoins) the pool', body: AgentRegisterBody } },
    async (request) => ok(await agents.register(request.body as AgentRegister, callerOf(request))),
  );
  app.post(
    '/api/agent/heartbeat',
    {
      schema: {
        tags,
        summary: 'An agent is alive; answers with executions to run, cancels and notices (long poll)',
        body: AgentHeartbeatBody,
      },
    },
    async (request) => ok(await agents.heartbeat(request.body as AgentHeartbeat, callerOf(request))),
  );
  app.post(
    '/api/agent/batches',
    {
      bodyLimit: AGENT_MAX_BATCH_BYTES,
      schema: {
        tags,
        summary: 'The next numbered batches of engine effects of executions the agent holds, answered one by one',
        body: AgentBatchesBody,
      },
    },
    async (request) => {
      const input = request.body as AgentBatches;
      const settled = await agents.batches(input, callerOf(request));
      const answer: AgentBatchResults = {
        type: 'results',
        results: input.batches.map((batch, i) => resultOf(request, batch, settled[i]!)),
      };
      return ok(answer);
    },
  );
  app.get(
    '/api/agents',
    { schema: { tags, summary: 'Agents: name, labels, version, status, executions, last seen, address' } },
    async () => ok(await agents.list()),
  );
}
