import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic } from '../../src/client-authentication.js';
import {
  ClientAuthenticationError,
  GrantRefusedError,
  PolicyDenialError,
  TokenResponseError,
} from '../../src/errors.js';
import { redeemIdJag } from '../../src/grants/jwt-bearer.js';
import type { FetchLike } from '../../src/http/observer.js';

function answering(status: number, body: unknown, seen: { body?: URLSearchParams } = {}): FetchLike {
  return async (_input, init) => {
    if (init?.body instanceof URLSearchParams) seen.body = init.body;
    return Response.json(body, { status });
  };
}

function redemptionOf(fetchFn: FetchLike) {
  return {
    tokenEndpoint: 'https://ras.example/token',
    clientAuthentication: clientSecretBasic({ clientId: 'acme-agent-host', clientSecret: 'x' }),
    idJag: 'jag',
    scopes: ['tickets.read'],
    resource: 'https://mcp.example/mcp',
    fetch: fetchFn,
  };
}

function redeem(fetchFn: FetchLike) {
  return redeemIdJag(redemptionOf(fetchFn));
}

describe('jwt-bearer grant (RFC 7523)', () => {
  it('[AGENT-RFC7523-REQUEST] posts the ID-JAG as assertion with scope and resource', async () => {
    const seen: { body?: URLSearchParams } = {};
    const token = await redeem(
      answering(200, { access_token: 'at', token_type: 'bearer', expires_in: 900, scope: 'tickets.read' }, seen),
    );
    expect(token).toEqual({ accessToken: 'at', tokenType: 'Bearer', expiresIn: 900, scope: 'tickets.read' });
    expect(seen.body?.get('grant_type')).toBe(GRANT_TYPE_JWT_BEARER);
    expect(seen.body?.get('assertion')).toBe('jag');
    expect(seen.body?.get('resource')).toBe('https://mcp.example/mcp');
  });

  it('[AGENT-RFC7523-REQUEST] [AGENT-DPOP-TOKEN-TYPE] refuses a non-Bearer token type when no DPoP proof was sent', async () => {
    await expect(redeem(answering(200, { access_token: 'at', token_type: 'DPoP' }))).rejects.toBeInstanceOf(
      TokenResponseError,
    );
  });

  it('[AGENT-DPOP-TOKEN-TYPE] accepts a DPoP token only when a proof was sent, and a Bearer one either way', async () => {
    const dpop = answering(200, { access_token: 'at', token_type: 'DPoP', expires_in: 900 });
    await expect(redeemIdJag({ ...redemptionOf(dpop), dpop: true })).resolves.toMatchObject({ tokenType: 'DPoP' });
    const bearer = answering(200, { access_token: 'at', token_type: 'Bearer', expires_in: 900 });
    await expect(redeemIdJag({ ...redemptionOf(bearer), dpop: true })).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('[AGENT-RFC6749-5.1-EXPIRES-IN] refuses an expires_in that is not a positive whole number of seconds', async () => {
    for (const expiresIn of [0, -5, 1.5, '900']) {
      await expect(
        redeem(answering(200, { access_token: 'at', token_type: 'Bearer', expires_in: expiresIn })),
      ).rejects.toBeInstanceOf(TokenResponseError);
    }
    await expect(redeem(answering(200, { access_token: 'at', token_type: 'Bearer' }))).resolves.toMatchObject({
      expiresIn: undefined,
    });
  });

  it('[AGENT-EMA-RAS-CREDENTIALS] maps the RAS error answers: client, policy, grant', async () => {
    await expect(redeem(answering(401, { error: 'invalid_client' }))).rejects.toBeInstanceOf(ClientAuthenticationError);
    await expect(redeem(answering(400, { error: 'invalid_target' }))).rejects.toBeInstanceOf(PolicyDenialError);
    const refused = await redeem(answering(400, { error: 'invalid_grant', error_description: 'jti used' })).catch(
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(GrantRefusedError);
    expect(refused).toMatchObject({ party: 'ras', error: 'invalid_grant', description: 'jti used' });
  });
});
