import {
  InsufficientScopeError,
  InvalidClientError,
  InvalidRequestError,
  InvalidTokenError,
  ServerError,
  TemporarilyUnavailableError,
} from '@ema/oauth-server';
import { describe, expect, it } from 'vitest';
import { bearerRefusal, insufficientScopeRefusal } from '../src/bearer-refusal.js';
import { NoBearerTokenError } from '../src/no-bearer-token-error.js';
import { PRM_URL } from './support/tokens.js';

const challenge = { resourceMetadata: PRM_URL, scope: 'tickets.read tickets.write' };
const BARE = `Bearer resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`;

describe('bearerRefusal', () => {
  it('[MCP-AUTH-401-CHALLENGE] answers no token with 401, resource_metadata and scope, no error code and no body', () => {
    expect(bearerRefusal(new NoBearerTokenError(), challenge)).toStrictEqual({
      status: 401,
      headers: { 'www-authenticate': BARE },
      body: undefined,
    });
  });

  it('[MCP-RFC6750-3.1-INVALID-TOKEN] answers a bad token with 401 invalid_token in the challenge and the body', () => {
    expect(bearerRefusal(new InvalidTokenError('The access token expired'), challenge)).toStrictEqual({
      status: 401,
      headers: {
        'www-authenticate': `Bearer error="invalid_token", error_description="The access token expired", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`,
      },
      body: { error: 'invalid_token', error_description: 'The access token expired' },
    });
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] answers invalid_request with 400 and the challenge', () => {
    const refusal = bearerRefusal(new InvalidRequestError('no'), challenge);
    expect(refusal?.status).toBe(400);
    expect(refusal?.headers['www-authenticate']).toMatch(/^Bearer error="invalid_request", error_description="no", /);
  });

  it('answers insufficient_scope with 403 and the challenge; a description is only ever a quoted string', () => {
    const refusal = bearerRefusal(new InsufficientScopeError('needs "x"'), { ...challenge, scope: 'x' });
    expect(refusal).toStrictEqual({
      status: 403,
      headers: {
        'www-authenticate': `Bearer error="insufficient_scope", error_description="needs 'x'", resource_metadata="${PRM_URL}", scope="x"`,
      },
      body: { error: 'insufficient_scope', error_description: "needs 'x'" },
    });
  });

  it('answers unavailable keys with 503 and no challenge, since the token may be fine', () => {
    expect(bearerRefusal(new TemporarilyUnavailableError('later'), challenge)).toStrictEqual({
      status: 503,
      headers: {},
      body: { error: 'temporarily_unavailable', error_description: 'later' },
    });
    expect(bearerRefusal(new ServerError('secret detail'), challenge)).toStrictEqual({
      status: 500,
      headers: {},
      body: { error: 'server_error' },
    });
  });

  it('keeps the error’s own headers, lower-cased, with the challenge replacing any WWW-Authenticate of its own', () => {
    const error = new InvalidClientError('no', { basicRealm: 'r', headers: { 'Cache-Control': 'no-store' } });
    expect(bearerRefusal(error, challenge)?.headers).toStrictEqual({
      'cache-control': 'no-store',
      'www-authenticate': `Bearer error="invalid_client", error_description="no", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`,
    });
  });

  it('leaves anything that is not a refusal to the caller', () => {
    for (const error of [new Error('boom'), new TypeError('x'), 'string', undefined]) {
      expect(bearerRefusal(error, challenge)).toBeUndefined();
    }
  });
});

describe('insufficientScopeRefusal', () => {
  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] names the operations and missing scopes, and challenges with granted plus missing', () => {
    const shortfall = {
      operations: ['create_ticket'],
      missing: ['tickets.write'],
      challengeScope: ['tickets.read', 'tickets.write'],
    };
    expect(insufficientScopeRefusal(shortfall, PRM_URL)).toStrictEqual({
      status: 403,
      headers: {
        'www-authenticate': `Bearer error="insufficient_scope", error_description="create_ticket requires the scope tickets.write", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`,
      },
      body: { error: 'insufficient_scope', error_description: 'create_ticket requires the scope tickets.write' },
    });
  });
});
