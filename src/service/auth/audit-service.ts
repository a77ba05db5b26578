// Owns the audit trail use cases: record who did what to which execution, and read it back.
import type { AuditAction, AuditEntry } from '../../core/audit-entry.js';
import type { Clock } from '../../core/clock.js';
import type { AuditFilter, Store } from '../../store/store.js';

/** Records and lists audit entries. */
export type AuditService = ReturnType<typeof createAuditService>;

/** The few logging calls the audit service makes. */
interface AuditLogger {
  error(fields: Record<string, unknown>, message: string): void;
}

/** Creates the audit service over the store. */
export function createAuditService(store: Store, clock: Clock, logger: AuditLogger) {
  return {
    /** Appends one entry; a failure is logged, never allowed to undo the action it describes. */
    async record(
      actor: string,
      action: AuditAction,
      executionId: number | null,
      detail: Record<string, unknown> = {},
    ): Promise<void> {
      try {
        await store.appendAudit({ at: clock.now(), actor, action, execution_id: executionId, detail });
      } catch (error) {
        logger.error({ err: error, actor, action, execution_id: executionId }, 'audit entry could not be stored');
      }
    },
    list: (filter: AuditFilter): Promise<{ entries: AuditEntry[]; total_count: number }> => store.listAudit(filter),
  };
}
