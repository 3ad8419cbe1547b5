/**
 * Per-operation requirements on the user's authentication behind a token (RFC 9470, OAuth 2.0 Step Up
 * Authentication Challenge): a class of sign-in (`acr`) and a maximum age (`auth_time`), and the MCP case: the
 * `tools/call` requests of a JSON-RPC body checked against a table of what each tool requires.
 */
import type { AccessTokenPrincipal } from './access-token-principal.js';
import { calledTools } from './tool-calls.js';

/** What an operation requires of the sign-in behind the token (RFC 9470 §3 `acr_values`, `max_age`). */
export interface AuthenticationRequirement {
  /** Acceptable `acr` values: the token's `acr` must be one of them (list every class that will do). */
  readonly acrValues?: readonly string[];
  /** The sign-in (`auth_time`) may be at most this old, in seconds. */
  readonly maxAgeSeconds?: number;
}

/** The requirements of the tools that have any (a tool not listed requires nothing beyond its scopes). */
export type ToolAuthentication = Readonly<Record<string, AuthenticationRequirement>>;

/** Operations the token's authentication does not satisfy, and what to ask the user's sign-in for. */
export interface AuthenticationShortfall {
  readonly operations: string[];
  /** The `acr_values` of the challenge: the acceptable classes (of the first operation needing one). */
  readonly acrValues?: readonly string[];
  /** The `max_age` of the challenge: the smallest maximum age among the operations. */
  readonly maxAgeSeconds?: number;
}

function unmet(principal: AccessTokenPrincipal, requirement: AuthenticationRequirement, now: number): boolean {
  const { acrValues, maxAgeSeconds } = requirement;
  if (acrValues !== undefined && (principal.acr === undefined || !acrValues.includes(principal.acr))) return true;
  if (maxAgeSeconds !== undefined && (principal.authTime === undefined || now - principal.authTime > maxAgeSeconds)) {
    return true;
  }
  return false;
}

/**
 * RFC 9470 §3: checks what one request attempts against the authentication behind the token: its `acr` must be one
 * of the acceptable values and its `auth_time` recent enough. A token without `acr` (or `auth_time`) fails a
 * requirement on it. `now` is in seconds. Undefined when every operation is satisfied.
 */
export function authenticationShortfall(
  principal: AccessTokenPrincipal,
  attempts: readonly { operation: string; requirement: AuthenticationRequirement }[],
  now: number,
): AuthenticationShortfall | undefined {
  const failing = attempts.filter((attempt) => unmet(principal, attempt.requirement, now));
  if (failing.length === 0) return undefined;
  const acrValues = failing.find((attempt) => attempt.requirement.acrValues !== undefined)?.requirement.acrValues;
  const ages = failing.flatMap((attempt) =>
    attempt.requirement.maxAgeSeconds === undefined ? [] : [attempt.requirement.maxAgeSeconds],
  );
  return {
    operations: [...new Set(failing.map((attempt) => attempt.operation))],
    ...(acrValues === undefined ? {} : { acrValues }),
    ...(ages.length === 0 ? {} : { maxAgeSeconds: Math.min(...ages) }),
  };
}

/**
 * Looks into a JSON-RPC request body (one message or a batch) for `tools/call` requests of tools whose requirement
 * the token's authentication does not meet.
 */
export function findAuthenticationShortfall(
  body: unknown,
  principal: AccessTokenPrincipal,
  toolAuthentication: ToolAuthentication,
  now: number,
): AuthenticationShortfall | undefined {
  const attempts = calledTools(body)
    .filter((tool) => Object.hasOwn(toolAuthentication, tool))
    .flatMap((tool) => {
      const requirement = toolAuthentication[tool];
      return requirement === undefined ? [] : [{ operation: tool, requirement }];
    });
  return authenticationShortfall(principal, attempts, now);
}
