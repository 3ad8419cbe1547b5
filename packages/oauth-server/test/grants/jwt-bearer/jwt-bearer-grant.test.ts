import { GRANT_TYPE_JWT_BEARER, MEDIA_TYPE_FORM } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import {
  handleTokenRequest,
  type IdJagRedemption,
  InvalidClientError,
  jwtBearerGrant,
  RedemptionRefusal,
  type RedemptionRequest,
} from '../../../src/index.js';
import { basic, findClient, form } from '../../fixtures.js';

/** The token endpoint with the jwt-bearer grant over `redeem`, recording what reached the refusal hook. */
async function post(redeem: IdJagRedemption, params: Record<string, string>) {
  const hooked: string[] = [];
  const result = await handleTokenRequest(
    {
      method: 'POST',
      contentType: MEDIA_TYPE_FORM,
      authorization: basic('simple', 'simple-secret'),
      body: form({ grant_type: GRANT_TYPE_JWT_BEARER, ...params }),
    },
    {
      grants: [jwtBearerGrant({ redeem })],
      findClient,
      onRefusal: (error) => hooked.push(error.error),
    },
  );
  return { ...result, hooked };
}

const refusing =
  (refusal: RedemptionRefusal): IdJagRedemption =>
  () =>
    Promise.reject(refusal);

describe('jwtBearerGrant', () => {
  it('[RAS-RFC7523-2.1-JWT-BEARER-GRANT] hands assertion, scope, resource and the authenticated client to the redemption', async () => {
    const seen: RedemptionRequest[] = [];
    const { status, body } = await post(
      async (request) => {
        seen.push(request);
        const account = { accountId: 'acct', email: null, name: null };
        return { accessToken: 'at', expiresIn: 300, scope: 'tickets.read', accessTokenJti: 'j', account };
      },
      { assertion: 'the-id-jag', scope: 'tickets.read', resource: 'https://mcp.example/mcp' },
    );
    expect(seen).toEqual([
      { assertion: 'the-id-jag', clientId: 'simple', scope: 'tickets.read', resource: 'https://mcp.example/mcp' },
    ]);
    // ID-JAG §4.4.2: a Bearer access token, its lifetime and scope, and no refresh token.
    expect({ status, body }).toEqual({
      status: 200,
      body: { access_token: 'at', token_type: 'Bearer', expires_in: 300, scope: 'tickets.read' },
    });
  });

  it('[RAS-RFC7521-4.1-ASSERTION-REQUIRED] refuses a request without assertion before redeeming anything', async () => {
    let called = false;
    const { status, body } = await post(async () => {
      called = true;
      throw new Error('unreachable');
    }, {});
    expect({ status, body }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'assertion is required' },
    });
    expect(called).toBe(false);
  });

  it('[RAS-IDJAG-4.4.1-NO-ORACLE] answers an assertion failure with the bare invalid_grant, audited once (by the redemption)', async () => {
    const { status, body, hooked } = await post(
      refusing(new RedemptionRefusal('invalid_grant', 'ERR_ID_JAG_REPLAYED', 'replayed')),
      { assertion: 'a' },
    );
    expect({ status, body }).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect(hooked).toEqual([]);
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] [RAS-IDJAG-4.4.1-NO-SCOPE-INVALID-SCOPE] keeps the description of invalid_target and invalid_scope', async () => {
    const target = await post(
      refusing(new RedemptionRefusal('invalid_target', 'ERR_RESOURCE_NOT_SERVED', 'unknown resource')),
      { assertion: 'a' },
    );
    expect(target.body).toEqual({ error: 'invalid_target', error_description: 'unknown resource' });
    const scope = await post(
      refusing(new RedemptionRefusal('invalid_scope', 'ERR_NO_GRANTABLE_SCOPE', 'no grantable scope')),
      { assertion: 'a' },
    );
    expect(scope.body).toEqual({ error: 'invalid_scope', error_description: 'no grantable scope' });
    expect([...target.hooked, ...scope.hooked]).toEqual([]);
  });

  it('[RAS-IDJAG-4.4.1-PUBLIC-CLIENT-REFUSED] refuses a public client itself, in a pipeline that let one through', async () => {
    let called = false;
    const grant = jwtBearerGrant({
      redeem: async () => {
        called = true;
        throw new Error('unreachable');
      },
    });
    const handled = grant.handler({
      params: new Map([['assertion', 'a']]),
      client: { clientId: 'public-app', secretHash: null },
      clientAuthMethod: 'none',
    });
    await expect(handled).rejects.toBeInstanceOf(InvalidClientError);
    await expect(handled).rejects.toMatchObject({
      status: 401,
      error: 'invalid_client',
      description: 'public clients cannot redeem ID-JAGs',
    });
    expect(called).toBe(false);
  });

  it('answers a storage failure with server_error, never a success', async () => {
    const { status, body, hooked } = await post(() => Promise.reject(new Error('disk full')), { assertion: 'a' });
    expect({ status, body }).toEqual({ status: 500, body: { error: 'server_error' } });
    expect(hooked).toEqual(['server_error']);
  });
});
