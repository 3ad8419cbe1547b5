import { describe, expect, it } from 'vitest';
import {
  type AuthorizationParameters,
  type AuthorizationResourceLookup,
  authorizationResponseUrl,
  readAuthorizationClientId,
  validateAuthorizationRequest,
} from '../../src/index.js';

const RESOURCE = { resource: 'https://mcp.example.com/mcp', scopes: ['tickets.read', 'tickets.write'] };
const resources: AuthorizationResourceLookup = {
  findResource: (resource) => (resource === RESOURCE.resource ? RESOURCE : undefined),
  defaultResource: () => RESOURCE,
};
const client = { clientId: 'https://app.example.com/client.json', redirectUris: ['http://127.0.0.1/callback'] };
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const valid: Record<string, string> = {
  response_type: 'code',
  client_id: client.clientId,
  redirect_uri: 'http://127.0.0.1:4567/callback',
  state: 'xyz',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  resource: RESOURCE.resource,
  scope: 'tickets.read',
};

function check(overrides: Record<string, string | string[] | undefined>) {
  const parameters: AuthorizationParameters = Object.fromEntries(
    Object.entries({ ...valid, ...overrides }).filter(([, value]) => value !== undefined),
  );
  return validateAuthorizationRequest(parameters, client, resources);
}

describe('authorization request validation', () => {
  it('accepts a complete request: the loopback port may vary, the scopes are the requested ones', () => {
    expect(check({})).toEqual({
      kind: 'valid',
      request: {
        clientId: client.clientId,
        redirectUri: 'http://127.0.0.1:4567/callback',
        state: 'xyz',
        codeChallenge: CHALLENGE,
        resource: RESOURCE.resource,
        scopes: ['tickets.read'],
      },
    });
  });

  it('[KIT-RFC6749-4.1.2.1-NO-REDIRECT-UNVERIFIED] shows (never redirects) a missing client_id or an unregistered redirect URI', () => {
    expect(readAuthorizationClientId({})).toMatchObject({ kind: 'show_error', reason: 'ERR_CLIENT_ID_MISSING' });
    expect(readAuthorizationClientId({ client_id: ['a', 'b'] })).toMatchObject({ reason: 'ERR_CLIENT_ID_REPEATED' });
    expect(check({ redirect_uri: 'https://evil.example/callback' })).toMatchObject({
      kind: 'show_error',
      reason: 'ERR_REDIRECT_URI_NOT_REGISTERED',
    });
    expect(check({ redirect_uri: undefined })).toMatchObject({
      kind: 'show_error',
      reason: 'ERR_REDIRECT_URI_MISSING',
    });
    // Even a request that is wrong in every other way: nothing goes to an unverified URI.
    expect(check({ redirect_uri: 'https://evil.example/cb', response_type: 'token' }).kind).toBe('show_error');
  });

  it.each([
    [{ response_type: undefined }, 'invalid_request', 'response_type is required'],
    [{ response_type: 'token' }, 'unsupported_response_type', 'only response_type=code is supported'],
    [{ state: undefined }, 'invalid_request', 'state is required'],
    [{ code_challenge: undefined }, 'invalid_request', 'code_challenge is required (PKCE)'],
    [{ code_challenge_method: undefined }, 'invalid_request', 'code_challenge_method must be S256'],
    [{ code_challenge_method: 'plain' }, 'invalid_request', 'code_challenge_method must be S256'],
    [{ code_challenge: 'short' }, 'invalid_request', 'code_challenge is malformed'],
    [{ resource: 'https://other.example.com/mcp' }, 'invalid_target', 'unknown resource'],
    [
      { resource: 'https://mcp.example.com/mcp#f' },
      'invalid_target',
      'resource must be an absolute URI without a fragment',
    ],
    [{ resource: [RESOURCE.resource, 'https://x.example/'] }, 'invalid_target', 'only one resource per request'],
    [{ scope: 'tickets.read admin' }, 'invalid_scope', 'unknown scope: admin'],
    [{ scope: ['a', 'b'] }, 'invalid_request', 'scope is repeated'],
    [{ request_uri: 'urn:x' }, 'invalid_request', 'request objects are not supported'],
    [{ response_mode: 'fragment' }, 'invalid_request', 'only response_mode=query is supported'],
  ])(
    '[KIT-RFC7636-4.4.1-S256-ONLY] [KIT-AUTHORIZE-STATE-REQUIRED] [KIT-RFC8707-2-RESOURCE] refuses %j back to the verified redirect URI',
    (overrides, error, description) => {
      const state = 'state' in overrides ? undefined : 'xyz';
      expect(check(overrides)).toEqual({
        kind: 'redirect_error',
        redirectUri: 'http://127.0.0.1:4567/callback',
        state,
        error,
        description,
      });
    },
  );

  it("[KIT-RFC6749-3.3-DEFAULT-SCOPE] asks for the resource's pre-defined default scopes when the request names none", () => {
    const leastPrivilege = { ...RESOURCE, defaultScopes: ['tickets.read', 'not-a-scope-here'] };
    const lookup = { findResource: () => leastPrivilege, defaultResource: () => leastPrivilege };
    const parameters = { ...valid, scope: undefined } as AuthorizationParameters;
    expect(validateAuthorizationRequest(parameters, client, lookup)).toMatchObject({
      kind: 'valid',
      request: { scopes: ['tickets.read'] },
    });
    const unknownOnly = { ...RESOURCE, defaultScopes: ['not-a-scope-here'] };
    expect(
      validateAuthorizationRequest(parameters, client, {
        findResource: () => unknownOnly,
        defaultResource: () => unknownOnly,
      }),
    ).toMatchObject({ kind: 'valid', request: { scopes: RESOURCE.scopes } });
  });

  it('[KIT-RFC8707-2-RESOURCE] uses the only served resource and all its scopes when the request names none', () => {
    const outcome = check({ resource: undefined, scope: undefined });
    expect(outcome).toMatchObject({ kind: 'valid', request: { resource: RESOURCE.resource, scopes: RESOURCE.scopes } });
    const none = validateAuthorizationRequest({ ...valid, resource: undefined } as AuthorizationParameters, client, {
      ...resources,
      defaultResource: () => undefined,
    });
    expect(none).toMatchObject({
      kind: 'redirect_error',
      error: 'invalid_target',
      description: 'resource is required',
    });
  });

  it('[KIT-RFC9207-ISS] puts iss (and state) in success and error responses alike', () => {
    expect(authorizationResponseUrl('http://127.0.0.1:1/cb?x=1', 'https://as.example', 's', { code: 'c' })).toBe(
      'http://127.0.0.1:1/cb?x=1&code=c&state=s&iss=https%3A%2F%2Fas.example',
    );
    expect(
      authorizationResponseUrl('https://app.example/cb', 'https://as.example', undefined, {
        error: 'access_denied',
        description: 'no',
      }),
    ).toBe('https://app.example/cb?error=access_denied&error_description=no&iss=https%3A%2F%2Fas.example');
    // RFC 6749 §4.1.2.1: error_description stays within its charset, whatever client input it quotes.
    const quoted = authorizationResponseUrl('https://app.example/cb', 'https://as.example', 's', {
      error: 'invalid_request',
      description: '"é\\" is repeated',
    });
    expect(new URL(quoted).searchParams.get('error_description')).toBe("'??' is repeated");
  });
});
