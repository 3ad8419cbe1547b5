/**
 * RFC 9396 (Rich Authorization Requests) at the jwt-bearer grant, as ID-JAG §4.4.1 asks of a RAS: the ID-JAG's
 * `authorization_details` are parsed, each object checked against a type this server knows for the resource, and
 * the access token carries at most what they allow. Nothing the server does not understand is dropped silently: a
 * field it cannot enforce could be a limit the IdP set, so an unknown type or field refuses the grant instead.
 */
import type { AuthorizationDetail, AuthorizationDetails } from '@ema/protocol';
import { RedemptionRefusal } from './refusal.js';

/**
 * RFC 9396 §2: an authorization details type a resource understands. Its objects carry `type`, `actions` (at least
 * one, each defined here), optionally `locations` (RFC 9396 §2.2: the resource the detail is for) and, when
 * `identifiers` is set, one `identifier` (RFC 9396 §2.2: one object at the resource). Any other field is refused.
 */
export interface AuthorizationDetailType {
  type: string;
  actions: readonly string[];
  identifiers: boolean;
}

const COMMON_FIELDS = new Set(['type', 'actions', 'locations']);

type Problem = 'ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE' | 'ERR_AUTHORIZATION_DETAILS_INVALID';

/** The detail's problem against the types known at the resource, or `undefined` when it conforms. */
function problemOf(detail: AuthorizationDetail, types: readonly AuthorizationDetailType[]): Problem | undefined {
  const definition = types.find((candidate) => candidate.type === detail.type);
  if (definition === undefined) return 'ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE';
  const fields = Object.keys(detail);
  if (!fields.every((field) => COMMON_FIELDS.has(field) || (field === 'identifier' && definition.identifiers))) {
    return 'ERR_AUTHORIZATION_DETAILS_INVALID';
  }
  const { actions, locations } = detail;
  if (actions === undefined || actions.length === 0) return 'ERR_AUTHORIZATION_DETAILS_INVALID';
  if (!actions.every((action) => definition.actions.includes(action))) return 'ERR_AUTHORIZATION_DETAILS_INVALID';
  if (locations !== undefined && locations.length === 0) return 'ERR_AUTHORIZATION_DETAILS_INVALID';
  return undefined;
}

/** RFC 9396 §2.2: a detail without `locations` is for the resource at hand; one with them only if they name it. */
const isFor = (detail: AuthorizationDetail, resource: string): boolean =>
  detail.locations === undefined || detail.locations.includes(resource);

/** The detail as the access token carries it: its type, the one resource, its actions, its identifier if any. */
function normalised(detail: AuthorizationDetail, resource: string): AuthorizationDetail {
  const actions = [...new Set(detail.actions)];
  return {
    type: detail.type,
    locations: [resource],
    actions,
    ...(detail.identifier === undefined ? {} : { identifier: detail.identifier }),
  };
}

/** Whether `granted` allows everything `wanted` asks for (same type, a subset of actions, the same object). */
function covers(granted: AuthorizationDetail, wanted: AuthorizationDetail): boolean {
  if (granted.type !== wanted.type) return false;
  if (granted.identifier !== undefined && granted.identifier !== wanted.identifier) return false;
  return (wanted.actions ?? []).every((action) => granted.actions?.includes(action) === true);
}

/** Input of {@link grantAuthorizationDetails}. */
export interface AuthorizationDetailsInput {
  /** The ID-JAG's `authorization_details` claim (already shape-checked by the claim schema). */
  granted: AuthorizationDetails | undefined;
  /** The `authorization_details` request parameter (RFC 9396 §6.2), parsed, or `undefined`. */
  requested: AuthorizationDetails | undefined;
  /** The resource the access token is for. */
  resource: string;
  /** The types this server knows at that resource. */
  types: readonly AuthorizationDetailType[];
}

/**
 * ID-JAG §4.4.1, RFC 9396 §2 and §6.2: the authorization details the access token will carry, or `undefined` when
 * the ID-JAG carries none (then scopes alone govern).
 *
 * - Every detail of the ID-JAG must be of a type known at the resource and conform to it, else `invalid_grant`.
 * - Details whose `locations` name another resource are left out; if none is left for this resource the grant is
 *   refused (`invalid_grant`): an access token without them would be broader than the IdP allowed.
 * - A request may narrow them: each requested detail must conform and be covered by a granted one, else
 *   `invalid_authorization_details`; the token then carries exactly the requested ones. Asking for details that the
 *   ID-JAG did not grant is refused the same way.
 *
 * @throws RedemptionRefusal
 */
export function grantAuthorizationDetails(input: AuthorizationDetailsInput): AuthorizationDetails | undefined {
  const { granted, requested, resource, types } = input;
  if (requested !== undefined && requested.length === 0) {
    throw new RedemptionRefusal(
      'invalid_authorization_details',
      'ERR_AUTHORIZATION_DETAILS_REQUEST_INVALID',
      'authorization_details must name at least one object',
    );
  }
  if (granted === undefined) {
    if (requested === undefined) return undefined;
    throw new RedemptionRefusal(
      'invalid_authorization_details',
      'ERR_AUTHORIZATION_DETAILS_NOT_GRANTED',
      'the assertion grants no authorization_details',
    );
  }
  for (const detail of granted) {
    const problem = problemOf(detail, types);
    if (problem !== undefined) throw new RedemptionRefusal('invalid_grant', problem);
  }
  const forResource = granted.filter((detail) => isFor(detail, resource)).map((detail) => normalised(detail, resource));
  if (forResource.length === 0) {
    throw new RedemptionRefusal('invalid_grant', 'ERR_AUTHORIZATION_DETAILS_NOT_FOR_RESOURCE');
  }
  if (requested === undefined) return forResource;
  return requested.map((wanted) => {
    if (problemOf(wanted, types) !== undefined || !isFor(wanted, resource)) {
      throw new RedemptionRefusal(
        'invalid_authorization_details',
        'ERR_AUTHORIZATION_DETAILS_REQUEST_INVALID',
        'authorization_details not understood for this resource',
      );
    }
    const narrowed = normalised(wanted, resource);
    if (!forResource.some((detail) => covers(detail, narrowed))) {
      throw new RedemptionRefusal(
        'invalid_authorization_details',
        'ERR_AUTHORIZATION_DETAILS_EXCEED_GRANT',
        'authorization_details exceed what the assertion grants',
      );
    }
    return narrowed;
  });
}
