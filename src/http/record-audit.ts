// Owns turning a request into an audit entry: the caller's key name, how it authenticated, and its address.
import type { FastifyRequest } from 'fastify';
import type { AuditAction } from '../core/audit-entry.js';
import type { AuditService } from '../service/auth/audit-service.js';
import { principalOf } from './register-access-control.js';

/** Records that the request's caller did `action` to `executionId`; does nothing when no audit service is wired. */
export async function recordAudit(
  audit: AuditService | undefined,
  request: FastifyRequest,
  action: AuditAction,
  executionId: number | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  if (!audit) return;
  const principal = principalOf(request);
  await audit.record(principal.name, action, executionId, {
    ...detail,
    role: principal.role,
    via: principal.via,
    client: request.ip,
  });
}
