import { InvalidTokenError } from '@ema/oauth-server';
import { REVOKED_ACCESS_TOKEN_DESCRIPTION } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { RevocationList } from '../src/revocation-list.js';
import { verifyBearerToken } from '../src/verify-bearer-token.js';
import { createTestKey, mintToken, RAS_ISSUER, RESOURCE } from './support/tokens.js';

const T = 1_900_000_000;
const token = (overrides: { jti?: string; sub?: string; iat?: number; sid?: string } = {}) => ({
  iss: RAS_ISSUER,
  sub: overrides.sub ?? 'alice',
  jti: overrides.jti ?? 'at-1',
  iat: overrides.iat ?? T,
  ...(overrides.sid === undefined ? {} : { sid: overrides.sid }),
});

describe('RevocationList', () => {
  it('[MCP-REVOCATION-LIST] refuses a revoked jti, a subject’s tokens up to its cut-off, a session’s tokens', () => {
    const list = new RevocationList();
    expect(list.check(token())).toBeUndefined();
    list.add({ kind: 'token', issuer: RAS_ISSUER, jti: 'at-1', until: T + 900 });
    list.add({ kind: 'subject', issuer: RAS_ISSUER, subject: 'bob', cutoff: T, until: T + 900 });
    list.add({ kind: 'session', issuer: RAS_ISSUER, subject: 'carol', sid: 'sid-1', cutoff: T, until: T + 900 });
    expect(list.check(token())).toBe('token_revoked');
    expect(list.check(token({ jti: 'at-2' }))).toBeUndefined();
    expect(list.check(token({ sub: 'bob', jti: 'b', iat: T }))).toBe('subject_cut_off');
    expect(list.check(token({ sub: 'bob', jti: 'b', iat: T + 1 }))).toBeUndefined();
    expect(list.check(token({ sub: 'carol', jti: 'c', sid: 'sid-1' }))).toBe('session_revoked');
    expect(list.check(token({ sub: 'carol', jti: 'c', sid: 'sid-2' }))).toBeUndefined();
    expect(list.check(token({ sub: 'carol', jti: 'c' }))).toBeUndefined();
    // Subject isolation: another issuer's "bob" is not this one.
    expect(list.check({ ...token({ sub: 'bob', jti: 'b' }), iss: 'https://other-ras.example' })).toBeUndefined();
  });

  it('[MCP-REVOCATION-LIST] a later cut-off moves forward, an earlier one never moves it back; purge after until', () => {
    const list = new RevocationList();
    list.add({ kind: 'subject', issuer: RAS_ISSUER, subject: 'bob', cutoff: T + 10, until: T + 910 });
    list.add({ kind: 'subject', issuer: RAS_ISSUER, subject: 'bob', cutoff: T, until: T + 900 });
    expect(list.check(token({ sub: 'bob', iat: T + 5 }))).toBe('subject_cut_off');
    expect(list.entries()).toEqual([
      { kind: 'subject', issuer: RAS_ISSUER, subject: 'bob', cutoff: T + 10, until: T + 910 },
    ]);
    expect(list.purge(T + 910)).toBe(0);
    expect(list.purge(T + 911)).toBe(1);
    expect(list.size).toBe(0);
  });

  it('[MCP-REVOCATION-REFUSED] verifyBearerToken refuses a listed token as invalid_token, "revoked", not "expired"', async () => {
    const key = await createTestKey();
    const list = new RevocationList();
    const minted = await mintToken(key, { jti: 'at-9' });
    const options = {
      issuer: RAS_ISSUER,
      resource: RESOURCE,
      keys: key.keys,
      algorithms: ['ES256'],
      revocations: list,
    };
    await expect(verifyBearerToken({ authorization: `Bearer ${minted}`, url: '/mcp' }, options)).resolves.toBeDefined();
    list.add({ kind: 'token', issuer: RAS_ISSUER, jti: 'at-9', until: Number.MAX_SAFE_INTEGER });
    const refused = await verifyBearerToken({ authorization: `Bearer ${minted}`, url: '/mcp' }, options).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(InvalidTokenError);
    expect(refused).toMatchObject({ error: 'invalid_token', description: REVOKED_ACCESS_TOKEN_DESCRIPTION });
  });
});
