import { InvalidRequestError, InvalidTokenError, TemporarilyUnavailableError } from '@ema/oauth-server';
import { describe, expect, it } from 'vitest';
import { NoBearerTokenError } from '../../src/auth/no-bearer-token-error.js';
import { type VerifyBearerOptions, verifyBearer } from '../../src/auth/verify-bearer.js';
import { createTestKey, IDP_ISSUER, mintToken, RAS_ISSUER, RESOURCE } from '../support/tokens.js';

const key = await createTestKey();
const options: VerifyBearerOptions = {
  issuer: RAS_ISSUER,
  resource: RESOURCE,
  keys: key.keys,
  algorithms: ['ES256'],
  clockToleranceSeconds: 30,
};
const noQuery = new URLSearchParams();

describe('verifyBearer', () => {
  it('returns the verified identity, scopes and ID-JAG reference of a valid token', async () => {
    const token = await mintToken(key, { jti: 'at-1', id_jag_jti: 'jag-1', scope: 'tickets.read' });
    const principal = await verifyBearer({ authorization: `Bearer ${token}`, query: noQuery }, options);
    expect(principal).toMatchObject({
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
    await expect(verifyBearer({ authorization: `bearer  ${token}`, query: noQuery }, options)).resolves.toBeDefined();
  });

  it('tells a missing token apart from a bad one', async () => {
    await expect(verifyBearer({ authorization: undefined, query: noQuery }, options)).rejects.toBeInstanceOf(
      NoBearerTokenError,
    );
    await expect(verifyBearer({ authorization: 'DPoP abc', query: noQuery }, options)).rejects.toBeInstanceOf(
      NoBearerTokenError,
    );
    await expect(verifyBearer({ authorization: 'Bearer', query: noQuery }, options)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] refuses access_token in the query even next to a valid header', async () => {
    const token = await mintToken(key);
    const query = new URLSearchParams({ access_token: token });
    await expect(verifyBearer({ authorization: `Bearer ${token}`, query }, options)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });

  it('[MCP-RFC9068-4-EXPIRY] honours the clock tolerance and the injected clock', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintToken(key, { iat: now - 600, exp: now - 20 });
    await expect(verifyBearer({ authorization: `Bearer ${token}`, query: noQuery }, options)).resolves.toBeDefined();
    const later = { ...options, currentDate: new Date((now + 60) * 1000) };
    await expect(verifyBearer({ authorization: `Bearer ${token}`, query: noQuery }, later)).rejects.toMatchObject({
      error: 'invalid_token',
      description: 'The access token expired',
    });
  });

  it('answers a key resolver failure as the RAS being unavailable, not as a bad token', async () => {
    const broken = { ...options, keys: async () => Promise.reject(new TypeError('network down')) };
    const token = await mintToken(key);
    await expect(verifyBearer({ authorization: `Bearer ${token}`, query: noQuery }, broken)).rejects.toBeInstanceOf(
      TemporarilyUnavailableError,
    );
  });
});
