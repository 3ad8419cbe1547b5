import { InvalidTokenError } from '@ema/oauth-server';
import { REVOKED_ACCESS_TOKEN_DESCRIPTION } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { RevocationList } from '../src/revocation-list.js';
import { VerifiedTokenCache } from '../src/verified-token-cache.js';
import { type VerifyBearerTokenOptions, verifyBearerToken } from '../src/verify-bearer-token.js';
import { accessTokenClaims, createTestKey, mintToken, principal, RAS_ISSUER, RESOURCE } from './support/tokens.js';

const key = await createTestKey();
const now = Math.floor(Date.now() / 1000);

/** Options whose key resolver counts its calls: one call per signature verification. */
function counted(extra: Partial<VerifyBearerTokenOptions> = {}) {
  const calls = { keys: 0 };
  const options: VerifyBearerTokenOptions = {
    issuer: RAS_ISSUER,
    resource: RESOURCE,
    keys: (header, token) => {
      calls.keys += 1;
      return key.keys(header, token);
    },
    algorithms: ['ES256'],
    clockToleranceSeconds: 30,
    cache: new VerifiedTokenCache(),
    ...extra,
  };
  return { calls, options };
}

const verify = (token: string, options: VerifyBearerTokenOptions) =>
  verifyBearerToken({ authorization: `Bearer ${token}`, url: '/mcp' }, options);

describe('VerifiedTokenCache', () => {
  it('[MCP-TOKEN-CACHE] verifies a token once, then answers the same principal from memory', async () => {
    const token = await mintToken(key, { jti: 'cached-1' });
    const { calls, options } = counted();
    const first = await verify(token, options);
    const second = await verify(token, options);
    expect(second).toBe(first);
    expect(calls.keys).toBe(1);
    // A token that differs in one byte is another token: verified (and refused) on its own.
    await expect(verify(`${token.slice(0, -2)}AA`, options)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('[MCP-TOKEN-CACHE] never outlives exp: a cached token is refused once it expires, with the same tolerance', async () => {
    const token = await mintToken(key, { iat: now - 600, exp: now + 10 });
    let clock = now * 1000;
    const { options } = counted({ now: () => new Date(clock) });
    await expect(verify(token, options)).resolves.toBeDefined();
    clock = (now + 10 + 29) * 1000;
    await expect(verify(token, options)).resolves.toBeDefined();
    clock = (now + 10 + 30) * 1000;
    await expect(verify(token, options)).rejects.toMatchObject({ description: 'The access token expired' });
  });

  it('[MCP-TOKEN-CACHE] never outlives a revocation: the revocation list is checked on every cached use', async () => {
    const token = await mintToken(key, { jti: 'cached-revoked', iat: now - 5 });
    const revocations = new RevocationList();
    const { options } = counted({ revocations });
    await expect(verify(token, options)).resolves.toBeDefined();
    revocations.add({ kind: 'token', issuer: RAS_ISSUER, jti: 'cached-revoked', until: now + 3600 });
    await expect(verify(token, options)).rejects.toMatchObject({ description: REVOKED_ACCESS_TOKEN_DESCRIPTION });
  });

  it('uses an entry at most maxAgeSeconds after the verification, and forgets the least recently used first', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 2, maxAgeSeconds: 60 });
    const verified = { claims: accessTokenClaims({ exp: now + 3600 }), principal: principal() };
    const at = now * 1000;
    cache.set('a', verified, at);
    cache.set('b', verified, at);
    // Touching `a` makes `b` the least recently used.
    expect(cache.get('a', at, 0)?.principal).toBe(verified.principal);
    cache.set('c', verified, at);
    expect([cache.get('a', at, 0), cache.get('b', at, 0), cache.get('c', at, 0)].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    expect(cache.get('a', at + 60_001, 0)).toBeUndefined();
    expect(() => new VerifiedTokenCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});
