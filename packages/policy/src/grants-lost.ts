/**
 * Which users lose what when admin policy changes: the grants a change takes away, so the IdP can tell each
 * resource's authorization server to cut the tokens it already issued (this project's grant-revoked event). Pure,
 * like `evaluatePolicy`, which it runs for every (user, client, resource) before and after the change.
 */
import { evaluatePolicy } from './evaluate-policy.js';
import type { PolicyResource, PolicyRule, PolicyUser } from './policy-types.js';

/** The policy world at one moment: who is in which group, which resources exist, which rules apply. */
export interface PolicySnapshot {
  readonly users: readonly PolicyUser[];
  readonly resources: readonly PolicyResource[];
  readonly rules: readonly PolicyRule[];
}

/** Scopes one user could obtain at one resource before a change and can no longer obtain after it. */
export interface LostGrant {
  readonly userId: string;
  /** The resource's {@link PolicyResource.id}. */
  readonly resourceId: string;
  /** The scopes lost, through at least one client; never empty. */
  readonly scopes: readonly string[];
}

/** What {@link grantsLost} compares over. */
export interface GrantsLostOptions {
  /** The clients that may request ID-JAGs (a rule may name one of them). */
  readonly clientIds: readonly string[];
  /** Current time, seconds. */
  readonly now: number;
  /** Only these users (by id) may have lost something (e.g. the one whose groups changed); default all. */
  readonly userIds?: readonly string[];
  /** Only these resources (by id) may have changed (e.g. the rule's resource); default all. */
  readonly resourceIds?: readonly string[];
}

/**
 * The grants `after` takes away from what `before` allowed. A scope counts as grantable when a fresh sign-in could
 * obtain it, judged twice: with no authentication method at all (so a rule that newly requires, say, a passkey takes
 * the scope from existing password sign-ins) and with every method any rule asks for (so removing a rule that only
 * applied to strong sign-ins takes the scope from those). A tighter maximum sign-in age is not a loss here: it
 * applies at the next exchange. A user absent after the change is not listed (deleting a user is its own event).
 */
export function grantsLost(before: PolicySnapshot, after: PolicySnapshot, options: GrantsLostOptions): LostGrant[] {
  const methods = [...new Set([...before.rules, ...after.rules].flatMap((rule) => rule.requiredAmr ?? []))];
  const authentications = [
    { authTime: options.now, amr: [] },
    { authTime: options.now, amr: methods },
  ];
  const afterUsers = new Map(after.users.map((user) => [user.id, user]));
  const afterResources = new Map(after.resources.map((resource) => [resource.id, resource]));
  const lost: LostGrant[] = [];
  for (const userBefore of before.users) {
    if (options.userIds !== undefined && !options.userIds.includes(userBefore.id)) continue;
    const userAfter = afterUsers.get(userBefore.id);
    if (userAfter === undefined) continue;
    for (const resourceBefore of before.resources) {
      if (options.resourceIds !== undefined && !options.resourceIds.includes(resourceBefore.id)) continue;
      const resourceAfter = afterResources.get(resourceBefore.id);
      const scopes = new Set<string>();
      for (const clientId of options.clientIds) {
        for (const authentication of authentications) {
          const had = grantable(before.rules, userBefore, clientId, resourceBefore, authentication, options.now);
          const has =
            resourceAfter === undefined
              ? []
              : grantable(after.rules, userAfter, clientId, resourceAfter, authentication, options.now);
          for (const scope of had) if (!has.includes(scope)) scopes.add(scope);
        }
      }
      if (scopes.size > 0) lost.push({ userId: userBefore.id, resourceId: resourceBefore.id, scopes: [...scopes] });
    }
  }
  return lost;
}

function grantable(
  rules: readonly PolicyRule[],
  user: PolicyUser,
  clientId: string,
  resource: PolicyResource,
  authentication: { authTime: number; amr: readonly string[] },
  now: number,
): readonly string[] {
  const relevant = rules.filter((rule) => rule.resourceId === resource.id);
  // One scope at a time: a step-up needed for one scope must not hide that another is granted outright.
  return resource.scopes.filter((scope) => {
    const evaluation = evaluatePolicy({
      user,
      clientId,
      resource,
      requestedScopes: [scope],
      authentication,
      rules: relevant,
      now,
    });
    return evaluation.decision === 'allow' && evaluation.grantedScopes.includes(scope);
  });
}
