import type { SqlDatabase } from '@ema/storage';
import { type AuthorizationGrantStorage, createAuthorizationGrantStorage } from './authorization-grants.js';
import { createInteractiveClientStorage, type InteractiveClientStorage } from './interactive-clients.js';
import { createPendingAuthorizationStorage, type PendingAuthorizationStorage } from './pending-authorizations.js';

/** What the interactive path persists, in the RAS database (so one transaction can span grant, subject and audit). */
export interface InteractiveStorage {
  clients: InteractiveClientStorage;
  pending: PendingAuthorizationStorage;
  grants: AuthorizationGrantStorage;
}

/** The interactive path's storage over an open, migrated RAS database. */
export function createInteractiveStorage(db: SqlDatabase, now: () => number = Date.now): InteractiveStorage {
  return {
    clients: createInteractiveClientStorage(db, now),
    pending: createPendingAuthorizationStorage(db),
    grants: createAuthorizationGrantStorage(db),
  };
}
