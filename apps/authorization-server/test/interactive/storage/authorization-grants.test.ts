/** The SQLite implementation of the interactive grants' storage seams: hashes only, atomic single use, revocation. */
import { afterEach, describe, expect, it } from 'vitest';
import { openRasStorage, type RasStorage } from '../../../src/storage/ras-storage.js';

describe('interactive grants on SQLite', () => {
  let storage: RasStorage | undefined;
  afterEach(() => {
    storage?.close();
    storage = undefined;
  });
  const t0 = 1_800_000_000_000;

  function seed(): RasStorage {
    const opened = openRasStorage(':memory:');
    const account = opened.subjects.provision({ iss: 'https://idp.example', sub: 'alice', email: 'a@x.example' }, t0);
    opened.interactive.grants.createWithCode(
      {
        grant: {
          grantId: 'g1',
          clientId: 'dcr_client',
          accountId: account.accountId,
          resource: 'https://mcp.example/mcp',
          scope: 'tickets.read',
          authorization: { iss: 'https://idp.example', jti: 'jag-1', amr: ['pwd'] },
        },
        idpRefreshToken: 'idp-refresh',
        code: 'the-code',
        redirectUri: 'http://127.0.0.1/cb',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        issueRefreshToken: true,
        codeExpiresAt: t0 / 1000 + 60,
      },
      t0,
    );
    return opened;
  }

  it('[RAS-RFC6749-4.1.2-CODE-SINGLE-USE] finds a code by its value, stores only its hash, and consumes it once', () => {
    storage = seed();
    const { codes } = storage.interactive.grants;
    expect(codes.find('the-code')).toMatchObject({
      grant: { grantId: 'g1', account: { email: 'a@x.example' }, authorization: { jti: 'jag-1' } },
      consumed: false,
      issueRefreshToken: true,
    });
    expect(codes.find('another')).toBeUndefined();
    expect(codes.consume('the-code', t0)).toBe(true);
    expect(codes.consume('the-code', t0)).toBe(false);
    expect(codes.find('the-code')?.consumed).toBe(true);
  });

  it('[RAS-RFC9700-4.14.2-REFRESH-ROTATION] rotates a refresh token once; revoking the grant revokes its access tokens and its IdP refresh token', () => {
    storage = seed();
    const { refreshTokens, grants, idpRefreshToken } = storage.interactive.grants;
    refreshTokens.issue('refresh-1', 'g1', t0 / 1000 + 3600, t0);
    grants.recordAccessToken('g1', { jti: 'at-1', clientId: 'dcr_client', exp: t0 / 1000 + 900 });
    expect(refreshTokens.rotate('refresh-1', t0)).toBe(true);
    expect(refreshTokens.rotate('refresh-1', t0)).toBe(false);
    expect(refreshTokens.find('refresh-1')).toMatchObject({ rotated: true, grant: { grantId: 'g1' } });
    expect(idpRefreshToken('g1')).toBe('idp-refresh');
    expect(grants.isRevoked('g1')).toBe(false);
    grants.revoke('g1', 'authorization code reused', t0);
    expect(grants.isRevoked('g1')).toBe(true);
    expect(storage.revokedTokens.isRevoked('at-1')).toBe(true);
    expect(idpRefreshToken('g1')).toBeUndefined();
  });
});
