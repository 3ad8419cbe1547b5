/** The interactive grants' storage seams on both stores: hashes only, atomic single use, revocation. */
import { afterEach, describe, expect, it } from 'vitest';
import type { RasStorage } from '../../../src/storage/ras-storage.js';
import { type OpenedRasStore, RAS_STORES } from '../../support/ras-stores.js';

describe.each(RAS_STORES)('interactive grants on $name', (store) => {
  let opened: OpenedRasStore | undefined;
  let storage: RasStorage | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    storage = undefined;
  });
  const t0 = 1_800_000_000_000;

  async function seed(): Promise<RasStorage> {
    opened = await store.open();
    return seedOn(await opened.instance());
  }

  function seedOn(opened: RasStorage): RasStorage {
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

  it('[RAS-RFC6749-4.1.2-CODE-SINGLE-USE] finds a code by its value, stores only its hash, and consumes it once', async () => {
    storage = await seed();
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

  it('[RAS-RFC9700-4.14.2-REFRESH-ROTATION] rotates a refresh token once; revoking the grant revokes its access tokens and its IdP refresh token', async () => {
    storage = await seed();
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

  it('[RAS-PG-GRANTS-SINGLE-USE] a code or refresh token spent through one connection is refused through another (another instance)', async () => {
    storage = await seed();
    if (opened === undefined) throw new Error('no store');
    const other = await opened.instance();
    storage.interactive.grants.refreshTokens.issue('refresh-1', 'g1', t0 / 1000 + 3600, t0);
    expect(storage.interactive.grants.codes.consume('the-code', t0)).toBe(true);
    expect(other.interactive.grants.codes.consume('the-code', t0)).toBe(false);
    expect(other.interactive.grants.refreshTokens.rotate('refresh-1', t0)).toBe(true);
    expect(storage.interactive.grants.refreshTokens.rotate('refresh-1', t0)).toBe(false);
    expect(other.interactive.grants.grants.isRevoked('g1')).toBe(false);
    storage.interactive.grants.grants.revoke('g1', 'refresh token reused', t0);
    expect(other.interactive.grants.grants.isRevoked('g1')).toBe(true);
  });
});
