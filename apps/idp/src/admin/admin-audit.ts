import type { IdpContext } from '../idp-context.js';

/** Who made an admin change: a console user (by username) or the API token. */
export interface AdminActor {
  readonly name: string;
}

/** Audits an admin change as `admin.<object>.<action>` (append-only, with the change in `details`). */
export function auditAdminChange(
  context: IdpContext,
  actor: AdminActor,
  type: string,
  details: Record<string, unknown>,
): void {
  context.audit.record({ type: `admin.${type}`, outcome: 'success', actor: actor.name, details });
}
