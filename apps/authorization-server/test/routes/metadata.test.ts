import { GRANT_PROFILE_ID_JAG, GRANT_TYPE_JWT_BEARER, WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRas } from '../support/ras.js';

describe('authorization server metadata and JWKS', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(() => rig.app.close());

  it('[RAS-RFC8414-METADATA] [RAS-IDJAG-6.1-GRANT-PROFILE] serves exactly the RFC 8414 metadata of the RAS', async () => {
    const response = await rig.app.inject({ method: 'GET', url: WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      issuer: 'http://localhost:3200',
      token_endpoint: 'http://localhost:3200/token',
      jwks_uri: 'http://localhost:3200/jwks.json',
      grant_types_supported: [GRANT_TYPE_JWT_BEARER],
      authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
      scopes_supported: ['tickets.read', 'tickets.write'],
      introspection_endpoint: 'http://localhost:3200/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint: 'http://localhost:3200/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });

  it('[RAS-RFC7517-JWKS] publishes the public signing key (ES256, kid, no private part) at jwks_uri', async () => {
    const response = await rig.app.inject({ method: 'GET', url: '/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    const { keys } = response.json<{ keys: Array<Record<string, unknown>> }>();
    // The current key and the pre-published next key.
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
      expect(key.kid).toBeTypeOf('string');
      expect(key.d).toBeUndefined();
    }
  });

  it('[RAS-RFC7517-JWKS] keeps a rotated key published and signs new tokens with the new one', async () => {
    const before = (await rig.app.inject({ method: 'GET', url: '/jwks.json' })).json<{
      keys: Array<{ kid: string }>;
    }>();
    const rotated = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/keys/rotate',
      headers: { authorization: `Bearer ${rig.config.adminApiToken}` },
    });
    expect(rotated.statusCode).toBe(200);
    const { kid, retired_kid: retiredKid } = rotated.json<{ kid: string; retired_kid: string }>();
    const { keys } = (await rig.app.inject({ method: 'GET', url: '/jwks.json' })).json<{
      keys: Array<{ kid: string }>;
    }>();
    // The new key was published before the rotation (pre-publication); the retired one stays, a new next key joins.
    expect(before.keys.map((key) => key.kid)).toContain(kid);
    expect(keys).toHaveLength(3);
    expect(keys.map((key) => key.kid)).toEqual(expect.arrayContaining([kid, retiredKid]));
  });

  it('serves /healthz', async () => {
    const response = await rig.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
