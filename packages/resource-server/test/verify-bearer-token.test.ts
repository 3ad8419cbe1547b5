import { JwtValidationError } from '@ema/jwt';
import { InvalidRequestError, InvalidTokenError, TemporarilyUnavailableError } from '@ema/oauth-server';
import { TYP_ID_JAG, TYP_ID_TOKEN } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { NoBearerTokenError } from '../src/no-bearer-token-error.js';
import { type VerifyBearerTokenOptions, verifyBearerToken } from '../src/verify-bearer-token.js';
import { createTestKey, IDP_ISSUER, mintToken, mintWithTyp, RAS_ISSUER, RESOURCE } from './support/tokens.js';

const key = await createTestKey();
const options: VerifyBearerTokenOptions = {
  issuer: RAS_ISSUER,
  resource: RESOURCE,
  keys: key.keys,
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
};

function verify(token: string, given: VerifyBearerTokenOptions = options) {
  return verifyBearerToken({ authorization: `Bearer ${token}`, url: '/mcp' }, given);
}

describe('verifyBearerToken', () => {
  it('returns the verified identity, scopes and ID-JAG reference of a valid token', async () => {
    const token = await mintToken(key, { jti: 'at-1', id_jag_jti: 'jag-1', scope: 'tickets.read' });
    expect(await verify(token)).toMatchObject({
      issuer: RAS_ISSUER,
      subject: 'alice',
      clientId: 'acme-agent-host',
      jti: 'at-1',
      scopes: ['tickets.read'],
      email: 'alice@acme.example',
      idJagJti: 'jag-1',
      idJagIss: IDP_ISSUER,
    });
  });

  it('accepts the scheme in any case and more than one space (RFC 6750 §2.1, RFC 9110 §11.1)', async () => {
    const token = await mintToken(key);
    const request = { authorization: `bearer  ${token}`, url: '/mcp' };
    await expect(verifyBearerToken(request, options)).resolves.toBeDefined();
  });

  it('tells a missing token apart from a bad one', async () => {
    await expect(verifyBearerToken({ authorization: undefined, url: '/mcp' }, options)).rejects.toBeInstanceOf(
      NoBearerTokenError,
    );
    await expect(verifyBearerToken({ authorization: 'DPoP abc', url: '/mcp' }, options)).rejects.toBeInstanceOf(
      NoBearerTokenError,
    );
    await expect(verifyBearerToken({ authorization: 'Bearer', url: '/mcp' }, options)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] refuses access_token in the query even next to a valid header', async () => {
    const token = await mintToken(key);
    const request = { authorization: `Bearer ${token}`, url: `/mcp?access_token=${token}` };
    await expect(verifyBearerToken(request, options)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('[MCP-AUTH-AUDIENCE] refuses another audience, a trailing slash and a second audience', async () => {
    for (const aud of ['https://other.example/mcp', `${RESOURCE}/`, [RESOURCE, 'https://other.example/mcp']]) {
      await expect(verify(await mintToken(key, { aud }))).rejects.toMatchObject({
        error: 'invalid_token',
        description: 'The access token was not issued for this resource',
      });
    }
  });

  it('[MCP-RFC9068-4-ISSUER] refuses a token of another issuer', async () => {
    await expect(verify(await mintToken(key, { iss: IDP_ISSUER }))).rejects.toMatchObject({
      error: 'invalid_token',
      description: 'The access token was not issued by the authorization server of this resource',
    });
  });

  it('[MCP-RFC9068-4-SIGNATURE] refuses a token signed by a key the authorization server does not publish', async () => {
    for (const stranger of [await createTestKey(), await createTestKey(key.signer.kid)]) {
      await expect(verify(await mintToken(stranger))).rejects.toMatchObject({
        error: 'invalid_token',
        description: 'The access token is invalid',
      });
    }
  });

  it('[MCP-RFC9068-TYP] refuses a token whose typ is not at+jwt (an ID token, an ID-JAG)', async () => {
    for (const typ of [TYP_ID_TOKEN, TYP_ID_JAG]) {
      await expect(verify(await mintWithTyp(key, typ))).rejects.toMatchObject({
        error: 'invalid_token',
        description: 'The token is not a JWT access token (typ at+jwt)',
      });
    }
  });

  it('[MCP-RFC9068-4-EXPIRY] honours the clock tolerance and the injected clock', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintToken(key, { iat: now - 600, exp: now - 20 });
    await expect(verify(token)).resolves.toBeDefined();
    const later = { ...options, now: () => new Date((now + 60) * 1000) };
    await expect(verify(token, later)).rejects.toMatchObject({
      error: 'invalid_token',
      description: 'The access token expired',
    });
  });

  it('calls a token not valid yet what it is, and never echoes a claim or a library message', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await mintToken(key, { iat: now + 600, exp: now + 1200 }))).rejects.toMatchObject({
      description: 'The access token is not valid yet',
    });
    const refusal = await verify(await mintToken(key, { client_id: undefined })).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidTokenError);
    expect((refusal as InvalidTokenError).description).toBe('The access token is invalid');
  });

  it('answers a key resolver failure as the authorization server being unavailable, not as a bad token', async () => {
    const token = await mintToken(key);
    for (const keys of [
      async () => Promise.reject(new TypeError('network down')),
      async () => Promise.reject(new JwtValidationError('ERR_JWKS_UNAVAILABLE')),
    ]) {
      const refusal = await verify(token, { ...options, keys }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TemporarilyUnavailableError);
      expect(refusal).toMatchObject({
        status: 503,
        description: 'The authorization server keys are unavailable; retry later',
      });
    }
  });
});
