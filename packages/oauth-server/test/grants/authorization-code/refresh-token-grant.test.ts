import { describe, expect, it } from 'vitest';
import { REFRESH_TOKEN_AUDIT_TYPE } from '../../../src/index.js';
import { codeRequest, grantRig, issued, PUBLIC_CLIENT } from './grant-rig.js';

async function tokensFor(rig: Awaited<ReturnType<typeof grantRig>>) {
  return issued(await rig.token(codeRequest(rig.issueCode())));
}

const refresh = (token: string | undefined, extra: Record<string, string> = {}) => ({
  grant_type: 'refresh_token',
  refresh_token: token ?? '',
  client_id: PUBLIC_CLIENT,
  ...extra,
});

describe('refresh token grant', () => {
  it('[KIT-RFC9700-4.14.2-REFRESH-ROTATION] rotates the refresh token on every use; the new one works, the old one is spent', async () => {
    const rig = await grantRig();
    const first = await tokensFor(rig);
    const second = await rig.token(refresh(first.refresh_token));
    expect(second.status).toBe(200);
    const body = issued(second);
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(body.scope).toBe('tickets.read tickets.write');
    expect(rig.audit.at(-1)).toMatchObject({ type: REFRESH_TOKEN_AUDIT_TYPE, outcome: 'allow' });
    expect((await rig.token(refresh(body.refresh_token))).status).toBe(200);
  });

  it('[KIT-RFC9700-4.14.2-REFRESH-ROTATION] a rotated refresh token presented again revokes the family: the newest one fails too', async () => {
    const rig = await grantRig();
    const first = await tokensFor(rig);
    const second = issued(await rig.token(refresh(first.refresh_token)));
    const replay = await rig.token(refresh(first.refresh_token));
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(rig.audit.at(-1)).toMatchObject({
      outcome: 'deny',
      reason: 'ERR_REFRESH_TOKEN_REUSED',
      details: { grant_revoked: true },
    });
    expect(rig.revokedGrants.get('grant-1')).toBe('refresh token reused');
    expect((await rig.token(refresh(second.refresh_token))).status).toBe(400);
    const claims = await rig.verify(second.access_token);
    expect(rig.revokedAccessTokens.has(String(claims.jti))).toBe(true);
  });

  it('[KIT-RFC6749-6-REFRESH-SCOPE] narrows to a requested subset and refuses a scope beyond the grant', async () => {
    const rig = await grantRig();
    const first = await tokensFor(rig);
    expect(await rig.token(refresh(first.refresh_token, { scope: 'tickets.admin' }))).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    const narrowed = await rig.token(refresh(first.refresh_token, { scope: 'tickets.read' }));
    expect(issued(narrowed).scope).toBe('tickets.read');
  });

  it('[KIT-REFRESH-REAUTHORIZED] asks again before every refresh: narrower answers narrow the token, a refusal revokes the family', async () => {
    const rig = await grantRig({ reauthorize: true });
    const first = await tokensFor(rig);
    rig.reauthorization = {
      ok: true,
      scope: 'tickets.read',
      authorization: { iss: 'https://idp.example', jti: 'jag-new' },
    };
    const narrowed = issued(await rig.token(refresh(first.refresh_token)));
    expect(narrowed.scope).toBe('tickets.read');
    expect(await rig.verify(narrowed.access_token)).toMatchObject({
      id_jag_jti: 'jag-new',
      scope: 'tickets.read',
    });
    rig.reauthorization = { ok: false, reason: 'policy_deny' };
    expect(await rig.token(refresh(narrowed.refresh_token))).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'policy_deny', details: { grant_revoked: true } });
    expect(rig.revokedGrants.has('grant-1')).toBe(true);
  });

  it('[KIT-RFC9700-4.14.2-REFRESH-ROTATION] refuses an unknown or expired refresh token, or one of another client', async () => {
    const rig = await grantRig();
    expect((await rig.token(refresh('nope'))).status).toBe(400);
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'ERR_REFRESH_TOKEN_UNKNOWN' });
    const first = await tokensFor(rig);
    rig.clock.ms += 3601_000;
    expect((await rig.token(refresh(first.refresh_token))).status).toBe(400);
    expect(rig.audit.at(-1)).toMatchObject({ reason: 'ERR_REFRESH_TOKEN_EXPIRED' });
    expect(await rig.token({ grant_type: 'refresh_token', client_id: PUBLIC_CLIENT })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'refresh_token is required' },
    });
  });
});
