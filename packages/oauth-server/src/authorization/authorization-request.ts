/**
 * Validation of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707 §2, OAuth 2.1 §4.1.1), in two
 * stages: first the client and its redirect URI, whose failures are shown to the user and never redirected (RFC 6749
 * §4.1.2.1: the redirect URI is not yet verified, so redirecting would be an open redirector); then everything
 * else, whose failures go back to the now-verified redirect URI with `state` and `iss`.
 */
import { formatScope, PKCE_METHOD_S256, parseScope, RESPONSE_TYPE_CODE } from '@ema/protocol';
import { isS256CodeChallenge } from './pkce.js';
import { matchRedirectUri } from './redirect-uri.js';

/** Raw request parameters; a repeated parameter arrives as an array. */
export type AuthorizationParameters = Readonly<Record<string, string | readonly string[] | undefined>>;

/** What the validation needs to know about the client. */
export interface AuthorizationClient {
  clientId: string;
  redirectUris: readonly string[];
}

/** A resource this server issues tokens for (RFC 8707), with the scopes it defines. */
export interface AuthorizationResource {
  resource: string;
  scopes: readonly string[];
  /**
   * RFC 6749 §3.3's pre-defined default: the scopes a request that names none asks for. Default: every scope of the
   * resource. A least-privilege default keeps a client that names no scope from asking for more than it needs.
   */
  defaultScopes?: readonly string[];
}

/** Where the validation looks resources up. */
export interface AuthorizationResourceLookup {
  /** The served resource with exactly this identifier, or `undefined`. */
  findResource(resource: string): AuthorizationResource | undefined;
  /** The resource to use when the request names none: the only one this server serves, else `undefined`. */
  defaultResource(): AuthorizationResource | undefined;
}

/** A validated authorization request. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  resource: string;
  /** The requested scopes, or every scope of the resource when the request named none (RFC 6749 §3.3). */
  scopes: readonly string[];
}

/** Error codes of the authorization endpoint (RFC 6749 §4.1.2.1, RFC 8707 §2). */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable';

/** Refused before the redirect URI is verified: shown to the user, never redirected. */
export interface ShownAuthorizationError {
  kind: 'show_error';
  /** Why, for the page and the audit log (`ERR_…`). */
  reason: string;
  description: string;
}

/** Refused after the redirect URI is verified: sent back to the client. */
export interface RedirectedAuthorizationError {
  kind: 'redirect_error';
  redirectUri: string;
  state: string | undefined;
  error: AuthorizationErrorCode;
  description: string;
}

/** The outcome of validating an authorization request. */
export type AuthorizationRequestOutcome =
  | ShownAuthorizationError
  | RedirectedAuthorizationError
  | { kind: 'valid'; request: AuthorizationRequest };

/** A single, non-empty parameter value, `undefined` when absent, `null` when repeated. */
function single(parameters: AuthorizationParameters, name: string): string | undefined | null {
  const value = parameters[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return null;
  return value === '' ? undefined : value;
}

/**
 * Stage one: the `client_id` the request names, or why it names none (shown to the user). Resolving it to a client
 * (a registered one, or a Client ID Metadata Document to fetch) is the server's job.
 */
export function readAuthorizationClientId(parameters: AuthorizationParameters): string | ShownAuthorizationError {
  const clientId = single(parameters, 'client_id');
  if (typeof clientId === 'string') return clientId;
  return {
    kind: 'show_error',
    reason: clientId === null ? 'ERR_CLIENT_ID_REPEATED' : 'ERR_CLIENT_ID_MISSING',
    description: 'The request does not name exactly one client (client_id).',
  };
}

/**
 * Stage two, for a resolved client: the redirect URI (exact match, RFC 9700 §2.1; any port for a loopback IP one,
 * RFC 8252 §7.3; required, because a loopback client registers a URI without its port), then the response type, PKCE
 * with S256 only, `state`, the resource and the scopes.
 */
export function validateAuthorizationRequest(
  parameters: AuthorizationParameters,
  client: AuthorizationClient,
  resources: AuthorizationResourceLookup,
): AuthorizationRequestOutcome {
  const redirectUri = single(parameters, 'redirect_uri');
  if (typeof redirectUri !== 'string' || !matchRedirectUri(client.redirectUris, redirectUri)) {
    return {
      kind: 'show_error',
      reason: redirectUri === undefined ? 'ERR_REDIRECT_URI_MISSING' : 'ERR_REDIRECT_URI_NOT_REGISTERED',
      description: 'The redirect_uri is missing or is not registered for this client.',
    };
  }
  const stateValue = single(parameters, 'state');
  const state = typeof stateValue === 'string' ? stateValue : undefined;
  const refuse = (error: AuthorizationErrorCode, description: string): RedirectedAuthorizationError => ({
    kind: 'redirect_error',
    redirectUri,
    state,
    error,
    description,
  });

  // RFC 8707 §2: this server issues a token for one resource at a time; several `resource` values are a target
  // problem, not a malformed request.
  if (Array.isArray(parameters.resource)) return refuse('invalid_target', 'only one resource per request');
  // RFC 6749 §3.1: request parameters MUST NOT be included more than once.
  const repeated = Object.entries(parameters).find(([, value]) => Array.isArray(value));
  if (repeated !== undefined) return refuse('invalid_request', `${repeated[0]} is repeated`);
  if (single(parameters, 'request') !== undefined || single(parameters, 'request_uri') !== undefined) {
    return refuse('invalid_request', 'request objects are not supported');
  }

  const responseType = single(parameters, 'response_type');
  if (typeof responseType !== 'string') return refuse('invalid_request', 'response_type is required');
  // RFC 6749 §4.1.2.1 / OAuth 2.1: the authorization code flow only.
  if (responseType !== RESPONSE_TYPE_CODE) {
    return refuse('unsupported_response_type', 'only response_type=code is supported');
  }
  const responseMode = single(parameters, 'response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    return refuse('invalid_request', 'only response_mode=query is supported');
  }
  // Project decision (OAuth 2.1 §7.12.1, MCP-AUTH "Open Redirection"): a client must bind the response to its
  // request with state.
  if (state === undefined) return refuse('invalid_request', 'state is required');

  // RFC 7636 §4.4.1 / RFC 9700 §2.1.1 / MCP-AUTH: PKCE is required, S256 only; a missing method means plain.
  const codeChallenge = single(parameters, 'code_challenge');
  if (typeof codeChallenge !== 'string') return refuse('invalid_request', 'code_challenge is required (PKCE)');
  if (single(parameters, 'code_challenge_method') !== PKCE_METHOD_S256) {
    return refuse('invalid_request', 'code_challenge_method must be S256');
  }
  if (!isS256CodeChallenge(codeChallenge)) return refuse('invalid_request', 'code_challenge is malformed');

  // RFC 8707 §2: an absolute URI without a fragment, naming a resource this server serves (the token's aud).
  const resourceValue = single(parameters, 'resource');
  let resource: AuthorizationResource | undefined;
  if (typeof resourceValue !== 'string') {
    resource = resources.defaultResource();
    if (resource === undefined) return refuse('invalid_target', 'resource is required');
  } else {
    if (!URL.canParse(resourceValue) || resourceValue.includes('#')) {
      return refuse('invalid_target', 'resource must be an absolute URI without a fragment');
    }
    resource = resources.findResource(resourceValue);
    if (resource === undefined) return refuse('invalid_target', 'unknown resource');
  }

  // RFC 6749 §3.3: scopes this resource defines; none requested means the resource's pre-defined default (all of
  // them unless it names fewer), then narrowed by policy and the user's consent.
  const requested = parseScope(single(parameters, 'scope') ?? undefined);
  const known = resource.scopes;
  const unknown = requested.filter((scope) => !known.includes(scope));
  if (unknown.length > 0) return refuse('invalid_scope', `unknown scope: ${formatScope(unknown)}`);
  const defaults = (resource.defaultScopes ?? known).filter((scope) => known.includes(scope));
  const scopes = requested.length > 0 ? [...new Set(requested)] : defaults.length > 0 ? [...defaults] : [...known];

  return {
    kind: 'valid',
    request: { clientId: client.clientId, redirectUri, state, codeChallenge, resource: resource.resource, scopes },
  };
}
