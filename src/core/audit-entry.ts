// Owns the shape of one audit-trail entry: who did what to which execution, and when.

/** The state-changing actions the audit trail records. */
export type AuditAction = 'create' | 'cancel' | 'rerun' | 'delete' | 'artifact_delete' | 'key_create' | 'key_revoke';

/** A stored audit entry; `actor` is the key name (or "anonymous" when auth is off, "cli" for local key management). */
export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  action: AuditAction;
  execution_id: number | null;
  /** Free-form facts (e.g. `rerun_of`, `client`), kept as JSON. */
  detail: Record<string, unknown>;
}

/** An audit entry to store. */
export type NewAuditEntry = Omit<AuditEntry, 'id'>;
