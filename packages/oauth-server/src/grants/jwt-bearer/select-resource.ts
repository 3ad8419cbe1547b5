import type { IdJagClaims } from '@ema/protocol';
import type { AuthorizationDetailType } from './authorization-details.js';
import { assertionFailure } from './redemption-audit.js';
import type { ResourceForClient } from './redemption-storage.js';
import { RedemptionRefusal } from './refusal.js';

/** The resource an access token will be issued for, with the client's scopes there. */
export interface SelectedResource {
  resource: string;
  resourceScopes: readonly string[];
  clientScopes: readonly string[];
  authorizationDetailTypes?: readonly AuthorizationDetailType[] | undefined;
}

/**
 * ID-JAG §4.4.1 step 8 / RFC 8707 §2: picks the one resource the access token will be audience-restricted to.
 * The ID-JAG's `resource` must name a resource this server serves; a `resource` request parameter must be one the
 * ID-JAG grants; and the client must be registered for that resource here.
 *
 * @throws RedemptionRefusal `invalid_target`.
 */
export function selectResource(
  granted: readonly string[],
  requested: string | undefined,
  lookup: (resource: string) => ResourceForClient | undefined,
): SelectedResource {
  if (granted.length === 0) {
    throw new RedemptionRefusal('invalid_target', 'ERR_RESOURCE_MISSING', 'the assertion names no resource');
  }
  let selected: ResourceForClient | undefined;
  if (requested !== undefined) {
    if (!granted.includes(requested)) {
      throw new RedemptionRefusal(
        'invalid_target',
        'ERR_RESOURCE_NOT_GRANTED',
        'resource not granted by the assertion',
      );
    }
    selected = lookup(requested);
  } else {
    const served = granted.map(lookup).filter((entry) => entry !== undefined);
    if (served.length > 1) {
      throw new RedemptionRefusal('invalid_target', 'ERR_RESOURCE_AMBIGUOUS', 'the resource parameter is required');
    }
    selected = served[0];
  }
  if (!selected) throw new RedemptionRefusal('invalid_target', 'ERR_RESOURCE_NOT_SERVED', 'unknown resource');
  const { clientScopes } = selected;
  if (clientScopes === undefined) {
    throw new RedemptionRefusal(
      'invalid_target',
      'ERR_CLIENT_NOT_ALLOWED_AT_RESOURCE',
      'client not allowed at this resource',
    );
  }
  return { ...selected, clientScopes };
}

/** The ID-JAG `resource` claim as a list; a malformed claim is an assertion failure (never a 500). */
export function grantedResources(claims: IdJagClaims): string[] {
  const { resource } = claims;
  if (resource === undefined) return [];
  const list: unknown[] = Array.isArray(resource) ? resource : [resource];
  if (!list.every((entry): entry is string => typeof entry === 'string')) {
    throw assertionFailure('ERR_JWT_CLAIM_INVALID');
  }
  return list;
}
