// Owns the agent routes: register, heartbeat and batches of the protocol (artifact uploads live with the artifact routes) and the agent list.
import type { FastifyRequest } from 'fastify';
import {
  AGENT_MAX_BATCH_BYTES,
  type AgentBatch,
  type AgentHeartbeat,
  type AgentRegister,
} from '../core/agent-protocol.js';
import type { AgentCaller } from '../service/agents/agent-service.js';
import type { ExecutionService } from '../service/execution-service.js';
import { AgentBatchBody, AgentHeartbeatBody, AgentRegisterBody } from './agent-schemas.js';
import { ok } from './envelope.js';
import { principalOf } from './register-access-control.js';
import type { TypedApp } from './typed-app.js';

const tags = ['agents'];

function callerOf(request: FastifyRequest): AgentCaller {
  return { key: principalOf(request).name, address: request.ip };
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
        summary: 'The next numbered batch of engine effects of an execution the agent holds',
        body: AgentBatchBody,
      },
    },
    async (request) => ok(await agents.batch(request.body as AgentBatch, callerOf(request))),
  );
  app.get(
    '/api/agents',
    { schema: { tags, summary: 'Agents: name, labels, version, status, executions, last seen, address' } },
    async () => ok(await agents.list()),
  );
}
