import { hasControlCharacter, parseScope } from '@ema/protocol';
import type { IdpClient } from '../storage/directory-types.js';
import type { ClientStorage } from '../storage/idp-storage.js';
import { ACR_VALUES_SUPPORTED } from './authentication-context.js';
import { PKCE_METHOD_S256, SUPPORTED_PROMPTS, SUPPORTED_SCOPES } from './supported-values.js';

/** A validated OIDC authentication request (OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  readonly client: IdpClient;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly prompt: readonly string[];
  readonly maxAge: number | undefined;
  /** The `acr_values` this IdP supports, in the request's order of preference (OIDC Core §3.1.2.1). */
  readonly acrValues: readonly string[];
  /** The request's parameters, to carry through the sign-in form. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** Error codes of the authorization endpoint (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6). */
export type AuthorizationErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'login_required'
  | 'access_denied'
  | 'unmet_authentication_requirements'
  | 'request_not_supported'
  | 'request_uri_not_supported';

/** The outcome of validating an authorization request. */
export type AuthorizationRequestOutcome =
  /** RFC 6749 §4.1.2.1: client or redirect URI invalid: tell the user, never redirect. */
  | { readonly kind: 'show_error'; readonly description: string }
  /** The redirect URI is trusted: errors go back to the client. */
  | {
      readonly kind: 'redirect_error';
      readonly redirectUri: string;
      readonly state: string | undefined;
      readonly error: AuthorizationErrorCode;
      readonly description: string;
    }
  | { readonly kind: 'valid'; readonly request: AuthorizationRequest };

/** Raw parameters: Fastify gives an array for a repeated query parameter. */
export type RawParameters = Readonly<Record<string, string | readonly string[] | undefined>>;

// RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const CARRIED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'acr_values',
  'response_mode',
  'login_hint',
] as const;

/**
 * Validates an authorization request: first the client and its exact redirect URI (RFC 6749 §3.1.2.3, RFC 9700
 * §2.1: exact string match), whose failures are shown to the user; then everything else, whose failures are
 * redirected to the client with `state`.
 */
export function parseAuthorizationRequest(raw: RawParameters, clients: ClientStorage): AuthorizationRequestOutcome {
  const clientId = raw.client_id;
  const redirectUri = raw.redirect_uri;
  if (typeof clientId !== 'string' || clientId === '') {
    return { kind: 'show_error', description: 'The request has no single client_id.' };
  }
  const client = clients.findClient(clientId);
  if (client === undefined) return { kind: 'show_error', description: 'The client is not registered at this IdP.' };
  if (typeof redirectUri !== 'string' || !client.redirectUris.includes(redirectUri)) {
    return { kind: 'show_error', description: 'The redirect_uri is missing or not registered for this client.' };
  }
  const state = typeof raw.state === 'string' ? raw.state : undefined;
  const refuse = (error: AuthorizationErrorCode, description: string): AuthorizationRequestOutcome => ({
    kind: 'redirect_error',
    redirectUri,
    state,
    error,
    description,
  });

  // OIDC Core §3.1.2.1 / RFC 6749 §3.1: request parameters MUST NOT be included more than once.
  const repeated = Object.entries(raw).find(([, value]) => Array.isArray(value));
  if (repeated !== undefined) return refuse('invalid_request', `${repeated[0]} is repeated`);
  const param = (name: string): string | undefined => {
    const value = raw[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  if (param('request') !== undefined) return refuse('request_not_supported', 'request objects are not supported');
  if (param('request_uri') !== undefined) return refuse('request_uri_not_supported', 'request_uri is not supported');

  const responseType = param('response_type');
  if (responseType === undefined) return refuse('invalid_request', 'response_type is required');
  if (responseType !== 'code') return refuse('unsupported_response_type', 'only response_type=code is supported');
  const responseMode = param('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') {
    return refuse('invalid_request', 'only response_mode=query is supported');
  }

  const scopes = parseScope(param('scope'));
  // OIDC Core §3.1.2.1: an OpenID request MUST contain the openid scope.
  if (!scopes.includes('openid')) return refuse('invalid_scope', 'the openid scope is required');
  const unknown = scopes.filter((scope) => !(SUPPORTED_SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) return refuse('invalid_scope', `unsupported scope: ${unknown.join(' ')}`);

  // RFC 9700 §2.1.1 / RFC 7636: PKCE is required, with S256 only.
  const codeChallenge = param('code_challenge');
  if (codeChallenge === undefined) return refuse('invalid_request', 'code_challenge is required (PKCE)');
  if (param('code_challenge_method') !== PKCE_METHOD_S256) {
    return refuse('invalid_request', 'code_challenge_method must be S256');
  }
  if (!S256_CHALLENGE.test(codeChallenge)) return refuse('invalid_request', 'code_challenge is malformed');

  const prompt = parseScope(param('prompt'));
  if (prompt.includes('none') && prompt.length > 1) {
    return refuse('invalid_request', 'prompt=none cannot be combined with other values');
  }
  const unknownPrompt = prompt.find((value) => !(SUPPORTED_PROMPTS as readonly string[]).includes(value));
  if (unknownPrompt !== undefined) return refuse('invalid_request', `unsupported prompt value: ${unknownPrompt}`);
  const maxAgeText = param('max_age');
  if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText)) {
    return refuse('invalid_request', 'max_age must be a non-negative integer');
  }

  // OIDC Core §3.1.2.1: the nonce is kept with the code and comes back in the ID token; a control character in it
  // (which PostgreSQL text could not even hold) is refused here, where the client can be told.
  const nonce = param('nonce');
  if (nonce !== undefined && hasControlCharacter(nonce)) return refuse('invalid_request', 'nonce is malformed');

  // OIDC Core §3.1.2.1: acr_values asks for a voluntary acr claim, so an OP may ignore it; here the client asks
  // because policy requires that class (RFC 9470 step-up), and a sign-in of another class could only fail the
  // next exchange. None of the values supported: refused with unmet_authentication_requirements (OpenID Connect
  // Core Error Code unmet_authentication_requirements 1.0, for requirements the OP cannot meet).
  const acrRequested = parseScope(param('acr_values'));
  const acrValues = acrRequested.filter((value) => ACR_VALUES_SUPPORTED.includes(value));
  if (acrRequested.length > 0 && acrValues.length === 0) {
    return refuse(
      'unmet_authentication_requirements',
      `none of the acr_values is supported; supported: ${ACR_VALUES_SUPPORTED.join(' ')}`,
    );
  }

  const parameters: Record<string, string> = {};
  for (const name of CARRIED) {
    const value = param(name);
    if (value !== undefined) parameters[name] = value;
  }
  return {
    kind: 'valid',
    request: {
      client,
      redirectUri,
      scopes,
      state,
      nonce,
      codeChallenge,
      prompt,
      maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
      acrValues,
      parameters,
    },
  };
}

/** The redirect back to the client: `code` or `error`, with `state` and `iss` (RFC 9207 §2). */
export function authorizationResponseUrl(
  redirectUri: string,
  issuer: string,
  state: string | undefined,
  result: { code: string } | { error: string; description: string },
): string {
  const url = new URL(redirectUri);
  if ('code' in result) url.searchParams.append('code', result.code);
  else {
    url.searchParams.append('error', result.error);
    url.searchParams.append('error_description', result.description);
  }
  if (state !== undefined) url.searchParams.append('state', state);
  url.searchParams.append('iss', issuer);
  return url.toString();
}
