import { describe, expect, it } from 'vitest';
import { AUTHORIZATION_CODE_AUDIT_TYPE } from '../../../src/index.js';
import { basic } from '../../fixtures.js';
import {
  CONFIDENTIAL_CLIENT,
  CONFIDENTIAL_SECRET,
  codeRequest,
  grantRig,
  issued,
  PUBLIC_CLIENT,
  RESOURCE,
  VERIFIER,
} from './grant-rig.js';

describe('authorization code grant', () => {
  it('[KIT-RFC6749-4.1.3-CODE-GRANT] [KIT-PUBLIC-CLIENT-NONE] redeems a code of a public client (client_id + PKCE) for an access token for the one resource and a refresh token', async () => {
    const rig = await grantRig();
    const answer = await rig.token(codeRequest(rig.issueCode()));
    expect(answer.status).toBe(200);
    expect(answer.headers['Cache-Control']).toBe('no-store');
    const body = answer.body as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'tickets.read tickets.write' });
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = await rig.verify(String(body.access_token));
    expect(claims).toMatchObject({
      iss: 'https://ras.example',
      sub: 'acct-alice',
      aud: RESOURCE,
      client_id: PUBLIC_CLIENT,
      scope: 'tickets.read tickets.write',
      id_jag_iss: 'https://idp.example',
      id_jag_jti: 'jag-1',
      amr: ['pwd'],
    });
    expect(rig.audit.at(-1)).toMatchObject({
      type: AUTHORIZATION_CODE_AUDIT_TYPE,
      outcome: 'allow',
      clientId: PUBLIC_CLIENT,
    });
  });

  it('[KIT-RFC7636-4.6-PKCE-S256] refuses a wrong or missing code_verifier, and the code still works with the right one', async () => {
    const rig = await grantRig();
    const code = rig.issueCode();
    const wrong = await rig.token(codeRequest(code, { code_verifier: `${VERIFIER.slice(0, -1)}x` }));
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' },
    });
    expect(rig.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_PKCE_VERIFIER_MISMATCH' });
    const { code_verifier: _, ...without } = codeRequest(code);
    expect(await rig.token(without)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'code_verifier is required (PKCE)' },
    });
    expect((await rig.token(codeRequest(code))).status).toBe(200);
  });

  it('[KIT-RFC6749-4.1.2-CODE-SINGLE-USE] refuses a reused code and revokes its grant: the refresh token stops working and the access token is revoked', async () => {
    const rig = await grantRig();
    const code = rig.issueCode();
    const first = issued(await rig.token(codeRequest(code)));
    const again = await rig.token(codeRequest(code));
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rig.audit.at(-1)).toMatchObject({
      outcome: 'deny',
      reason: 'ERR_CODE_REUSED',
      details: { grant_id: 'grant-1', grant_revoked: true },
    });
    expect(rig.revokedGrants.get('grant-1')).toBe('authorization code reused');
    const claims = await rig.verify(first.access_token);
    expect(rig.revokedAccessTokens.has(String(claims.jti))).toBe(true);
    const refreshed = await rig.token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token ?? '',
      client_id: PUBLIC_CLIENT,
    });
    expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'ERR_GRANT_REVOKED' });
  });

  it('[KIT-RFC6749-4.1.3-CODE-GRANT] refuses an unknown or expired code, another client’s code (not burnt), a different redirect_uri or resource', async () => {
    const rig = await grantRig();
    expect((await rig.token(codeRequest('nope'))).body).toEqual({
      error: 'invalid_grant',
      error_description: 'the authorization code is invalid, expired, revoked or was issued to another client',
    });
    const code = rig.issueCode();
    const other = await rig.token(
      { ...codeRequest(code), client_id: CONFIDENTIAL_CLIENT },
      basic(CONFIDENTIAL_CLIENT, CONFIDENTIAL_SECRET),
    );
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'ERR_CODE_CLIENT_MISMATCH' });
    expect((await rig.token(codeRequest(code, { redirect_uri: 'http://127.0.0.1:51001/callback' }))).body).toEqual({
      error: 'invalid_grant',
      error_description: 'redirect_uri does not match the authorization request',
    });
    expect((await rig.token(codeRequest(code, { resource: 'https://other.example/mcp' }))).body).toEqual({
      error: 'invalid_target',
      error_description: 'resource does not match the authorization',
    });
    expect((await rig.token(codeRequest(code, { resource: RESOURCE }))).status).toBe(200);
    const late = rig.issueCode();
    rig.clock.ms += 61_000;
    expect((await rig.token(codeRequest(late))).status).toBe(400);
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'ERR_CODE_EXPIRED' });
  });

  it('[KIT-PUBLIC-CLIENT-NONE] refuses an unknown client, and a confidential client without its credentials', async () => {
    const rig = await grantRig();
    const code = rig.issueCode();
    expect(await rig.token({ ...codeRequest(code), client_id: 'https://unknown.example/c.json' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await rig.token({ ...codeRequest(code), client_id: CONFIDENTIAL_CLIENT })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    // A grant type not open to public clients still needs credentials.
    expect(
      await rig.token({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: 'x',
        client_id: PUBLIC_CLIENT,
      }),
    ).toMatchObject({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication required' },
    });
  });
});
