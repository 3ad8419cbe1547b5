import type { IdpContext } from '../idp-context.js';
import { nowSeconds } from '../idp-context.js';
import { hashPassword } from '../password/password-hash.js';
import { emitAccountDisabled, emitAccountPurged, withPolicyChange } from '../ssf/revocation-events.js';
import type { Group, User } from '../storage/directory-types.js';
import { generateId } from '../tokens/opaque-token.js';
import { type AdminActor, auditAdminChange } from './admin-audit.js';
import { adminConflict, adminNotFound, invalidAdminInput } from './admin-errors.js';
import type { GroupInput, UserInput, UserPatch } from './admin-schemas.js';

function requireGroups(context: IdpContext, groups: readonly string[]): void {
  const missing = groups.filter((group) => context.storage.findGroup(group) === undefined);
  if (missing.length > 0) throw invalidAdminInput(`unknown group(s): ${missing.join(', ')}`);
}

/** What revoking a user's access reached, for the admin-change audit record. */
export interface UserRevocation {
  readonly grantsRevoked: number;
  readonly idTokensRevoked: number;
  readonly sessionsEnded: number;
}

/**
 * Revokes everything a user holds: every grant (and so its codes, IdP access tokens and refresh-token families),
 * every recorded ID token and every live SSO session. Disabling must not merely suspend them: re-enabling the
 * account later must require a fresh sign-in, not revive tokens issued before. Call inside the transaction that
 * disables or deletes the user, so no sign-in or token issuance interleaves.
 */
export function revokeUserAccess(context: IdpContext, userId: string, reason: string): UserRevocation {
  const at = nowSeconds(context);
  const { grants, idTokens } = context.storage.revokeUserGrants(userId, at, reason);
  const sessionsEnded = context.storage.endUserSessions(userId, at);
  return { grantsRevoked: grants, idTokensRevoked: idTokens, sessionsEnded };
}

/** Creates a user (password hashed with scrypt) and their group memberships. */
export async function createUser(context: IdpContext, actor: AdminActor, input: UserInput): Promise<User> {
  const { storage } = context;
  if (storage.findUserByUsername(input.username) !== undefined) throw adminConflict(`user ${input.username}`);
  const groups = input.groups ?? [];
  requireGroups(context, groups);
  const passwordHash = await hashPassword(input.password, context.config.passwordHashCost);
  const id = generateId('usr');
  storage.transaction(() => {
    storage.insertUser({
      id,
      username: input.username,
      passwordHash,
      name: input.name,
      email: input.email,
      createdAt: nowSeconds(context),
    });
    for (const group of groups) storage.addMember(group, id);
  });
  auditAdminChange(context, actor, 'user.create', { userId: id, username: input.username, groups });
  const created = storage.findUserById(id);
  if (created === undefined) throw adminNotFound('user');
  return created;
}

/** Changes a user's profile, password, status or (replacing them) groups. */
export async function updateUser(context: IdpContext, actor: AdminActor, id: string, patch: UserPatch): Promise<User> {
  const { storage } = context;
  const user = storage.findUserById(id);
  if (user === undefined) throw adminNotFound('user');
  if (patch.groups !== undefined) requireGroups(context, patch.groups);
  const passwordHash =
    patch.password === undefined ? undefined : await hashPassword(patch.password, context.config.passwordHashCost);
  // A change of groups may take grants away: the policy change is diffed and announced (grant-revoked events).
  const inTransaction = <T>(work: () => T): T =>
    patch.groups === undefined ? storage.transaction(work) : withPolicyChange(context, work);
  const revoked = inTransaction(() => {
    storage.updateUser(id, {
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.email === undefined ? {} : { email: patch.email }),
      ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
      ...(passwordHash === undefined ? {} : { passwordHash }),
    });
    if (patch.groups !== undefined) {
      for (const group of user.groups) storage.removeMember(group, id);
      for (const group of patch.groups) storage.addMember(group, id);
    }
    // Every save that says "disabled" revokes (idempotent): the console sends the flag with every save, and a user
    // disabled before revocation existed may still hold grants.
    if (patch.disabled !== true) return undefined;
    // RISC account-disabled, in this transaction, when the account was enabled until now (not on every re-save).
    if (!user.disabled) emitAccountDisabled(context, id);
    return revokeUserAccess(context, id, 'user disabled');
  });
  const { password: _secret, ...logged } = patch;
  auditAdminChange(context, actor, 'user.update', {
    userId: id,
    ...logged,
    passwordChanged: patch.password !== undefined,
    ...revoked,
  });
  return storage.findUserById(id) ?? user;
}

/**
 * Deletes a user. Their sessions, grants, tokens and ID token records go with them by cascade; revoking them first,
 * in the same transaction, is what tells the audit record how many there were.
 */
export function deleteUser(context: IdpContext, actor: AdminActor, id: string): void {
  const { storage } = context;
  const revoked = storage.transaction(() => {
    if (storage.findUserById(id) === undefined) return undefined;
    const counts = revokeUserAccess(context, id, 'user deleted');
    emitAccountPurged(context, id);
    storage.deleteUser(id);
    return counts;
  });
  if (revoked === undefined) throw adminNotFound('user');
  auditAdminChange(context, actor, 'user.delete', { userId: id, ...revoked });
}

/** Creates a group. */
export function createGroup(context: IdpContext, actor: AdminActor, input: GroupInput): Group {
  if (context.storage.findGroup(input.name) !== undefined) throw adminConflict(`group ${input.name}`);
  context.storage.insertGroup(input.name, input.description ?? '');
  auditAdminChange(context, actor, 'group.create', { ...input });
  return { name: input.name, description: input.description ?? '', members: [] };
}

/** Deletes a group (memberships go with it; policy rules naming it then match nobody). */
export function deleteGroup(context: IdpContext, actor: AdminActor, name: string): void {
  if (!withPolicyChange(context, () => context.storage.deleteGroup(name))) throw adminNotFound('group');
  auditAdminChange(context, actor, 'group.delete', { name });
}
