import { IDP_ONLY_SCOPES, parseScope } from '@ema/protocol';
import { RedemptionRefusal } from './refusal.js';

/**
 * ID-JAG §4.4.1 step 9: the granted scopes are the ID-JAG's `scope` ∩ the requested `scope` (when the request names
 * one) ∩ what this server allows the client at the resource (and the resource still defines). The IdP's own sign-in
 * scopes (`openid`, `offline_access`, ...) never pass (EMA §7). Order follows the ID-JAG.
 *
 * @throws RedemptionRefusal `invalid_scope` when nothing is left.
 */
export function grantScopes(
  idJagScope: string | undefined,
  requestedScope: string | undefined,
  resourceScopes: readonly string[],
  clientScopes: readonly string[],
): string[] {
  const requested = requestedScope === undefined ? undefined : new Set(parseScope(requestedScope));
  const granted = parseScope(idJagScope).filter(
    (scope) =>
      !IDP_ONLY_SCOPES.includes(scope) &&
      (requested === undefined || requested.has(scope)) &&
      clientScopes.includes(scope) &&
      resourceScopes.includes(scope),
  );
  if (granted.length === 0)
    throw new RedemptionRefusal('invalid_scope', 'ERR_NO_GRANTABLE_SCOPE', 'no grantable scope');
  return granted;
}
