import type { IdpContext } from '../idp-context.js';
import type { Passkey } from '../storage/passkey-types.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';
import { adminNotFound } from './admin-errors.js';
import { revokeUserAccess, type UserRevocation } from './manage-users.js';

/** A passkey as an administrator sees it (never the public key or the counter). */
export interface PasskeyView {
  readonly credentialId: string;
  readonly name: string;
  readonly deviceType: Passkey['deviceType'];
  readonly backedUp: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** A user's passkeys, for the admin API. */
export function listUserPasskeys(context: IdpContext, userId: string): PasskeyView[] {
  if (context.storage.findUserById(userId) === undefined) throw adminNotFound('user');
  return context.storage.listPasskeys(userId).map((passkey) => ({
    credentialId: passkey.credentialId,
    name: passkey.name,
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
  }));
}

/** What a reset removed and revoked. */
export interface PasskeyReset extends UserRevocation {
  readonly passkeysRemoved: number;
}

/**
 * Recovery by an administrator: removes every passkey of a user (a lost or stolen device), and, in the same
 * transaction, revokes everything a passkey may have been used for: every grant, recorded ID token and live SSO
 * session of the user (a stolen passkey's sign-ins must not outlive the reset). The user then signs in with their
 * password and enrols a new passkey on their account page. Audited as `admin.user.passkeys_reset`.
 */
export function resetUserPasskeys(context: IdpContext, actor: AdminActor, userId: string): PasskeyReset {
  const { storage } = context;
  const reset = storage.transaction(() => {
    if (storage.findUserById(userId) === undefined) return undefined;
    const passkeysRemoved = storage.deleteUserPasskeys(userId);
    return { passkeysRemoved, ...revokeUserAccess(context, userId, 'passkeys reset') };
  });
  if (reset === undefined) throw adminNotFound('user');
  auditAdminChange(context, actor, 'user.passkeys_reset', { userId, ...reset });
  return reset;
}
