/**
 * RFC 9396 at the resource server: an access token that carries `authorization_details` (RFC 9396 §9.1) may do only
 * what one of them allows, whatever its scopes say; a token without them is governed by its scopes alone. The MCP
 * case maps each tool to the type and action it needs, and to the tool argument naming the object it acts on.
 */
import type { AccessTokenPrincipal } from './access-token-principal.js';

/** What one operation needs: a detail of `type` naming `action`, for the object `identifier` when it acts on one. */
export interface AuthorizationDetailRequirement {
  readonly type: string;
  readonly action: string;
  /** RFC 9396 §2.2 `identifier` of the object acted on; absent for an operation on no one object (list, create). */
  readonly identifier?: string | undefined;
  /**
   * An operation over a collection (a listing): permitted when the action is allowed on any object, the caller then
   * shows only {@link permittedIdentifiers}.
   */
  readonly collection?: boolean | undefined;
}

/** Per tool: the type and action it needs, and which argument (if any) names the object it acts on. */
export interface ToolAuthorizationDetail {
  readonly type: string;
  readonly action: string;
  /** The name of the tool argument holding the object's identifier (`id`), compared as a string. */
  readonly identifierArgument?: string;
  /** The tool lists objects: see {@link AuthorizationDetailRequirement.collection}. */
  readonly collection?: boolean;
}

/** The tools that need an authorization detail when the token carries any (a tool not listed needs none). */
export type ToolAuthorizationDetails = Readonly<Record<string, ToolAuthorizationDetail>>;

/**
 * Whether the token may perform the operation: `true` when it carries no authorization details; otherwise when one
 * detail has the type, names the action, is for this resource (`locations` absent or naming one of the token's
 * audiences) and is for the object (no `identifier`, or the operation's). An operation on no one object needs a
 * detail without `identifier` (a grant for ticket 7 does not create tickets), except a listing, which needs the
 * action on some object and then shows only those.
 */
export function authorizationDetailsPermit(
  principal: AccessTokenPrincipal,
  requirement: AuthorizationDetailRequirement,
): boolean {
  const details = principal.authorizationDetails;
  if (details === undefined) return true;
  if (requirement.collection === true) {
    const permitted = permittedIdentifiers(principal, requirement.type, requirement.action);
    return permitted === 'all' || permitted.length > 0;
  }
  return details.some(
    (detail) =>
      detail.type === requirement.type &&
      detail.actions?.includes(requirement.action) === true &&
      (detail.locations === undefined || detail.locations.some((location) => principal.audience.includes(location))) &&
      (detail.identifier === undefined || detail.identifier === requirement.identifier),
  );
}

/**
 * The objects the token may perform `action` on: `'all'` when it carries no authorization details or one without
 * `identifier` allows it, else the identifiers of the details that do (possibly none). For listings: filter by it.
 */
export function permittedIdentifiers(
  principal: AccessTokenPrincipal,
  type: string,
  action: string,
): 'all' | readonly string[] {
  const details = principal.authorizationDetails;
  if (details === undefined) return 'all';
  const allowing = details.filter(
    (detail) =>
      detail.type === type &&
      detail.actions?.includes(action) === true &&
      (detail.locations === undefined || detail.locations.some((location) => principal.audience.includes(location))),
  );
  if (allowing.some((detail) => detail.identifier === undefined)) return 'all';
  return allowing.flatMap((detail) => (detail.identifier === undefined ? [] : [detail.identifier]));
}

/**
 * The requirement of a call to `tool` with `input` (its arguments), or `undefined` when the table lists no
 * requirement for the tool. A numeric or string argument names the object; any other value names none.
 */
export function toolAuthorizationDetailRequirement(
  table: ToolAuthorizationDetails,
  tool: string,
  input: unknown,
): AuthorizationDetailRequirement | undefined {
  if (!Object.hasOwn(table, tool)) return undefined;
  const entry = table[tool];
  if (entry === undefined) return undefined;
  const { type, action, identifierArgument } = entry;
  if (entry.collection === true) return { type, action, collection: true };
  if (identifierArgument === undefined) return { type, action };
  const value =
    typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[identifierArgument] : undefined;
  const identifier = typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
  return { type, action, identifier };
}
