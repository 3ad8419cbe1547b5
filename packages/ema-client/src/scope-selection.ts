/** Which scopes to ask the IdP for (MCP-AUTH "Scope Selection Strategy" and step-up, EMA §7). */
import { IDP_ONLY_SCOPES, parseScope } from '@ema/protocol';
import type { CachedAccessToken } from './access-token-cache.js';
import type { AuthorizationDiscovery } from './discovery/discover-authorization.js';
import type { BearerChallenge } from './www-authenticate.js';

/** Union of scope lists, in first-seen order, without the IdP's own sign-in scopes (EMA §7). */
export function unionScopes(...lists: ReadonlyArray<readonly string[] | undefined>): string[] {
  const out = new Set<string>();
  for (const list of lists) for (const scope of list ?? []) if (!IDP_ONLY_SCOPES.includes(scope)) out.add(scope);
  return [...out];
}

/**
 * The scopes to ask for next. On an insufficient_scope challenge: the union of what is held and what the server
 * asks (MCP-AUTH step-up). Else: the challenge's scope, then the last request, then the PRM's `scopes_supported`.
 */
export function scopesToRequest(
  challenge: BearerChallenge | undefined,
  last: CachedAccessToken | undefined,
  discovery: AuthorizationDiscovery,
): string[] {
  if (challenge?.error === 'insufficient_scope') {
    return unionScopes(last?.scopes, last?.requestedScopes, parseScope(challenge.scope));
  }
  if (challenge?.scope) return unionScopes(parseScope(challenge.scope), last?.requestedScopes);
  if (last) return unionScopes(last.requestedScopes);
  return unionScopes(discovery.protectedResource.scopes_supported);
}
