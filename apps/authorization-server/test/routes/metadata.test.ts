import {
  AuthorizationServerMetadata,
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_JWT_BEARER,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
} from '@ema/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rig, startRas } from '../support/ras.js';

describe('authorization server metadata and JWKS', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(() => rig.app.close());

  it('[RAS-RFC8414-METADATA] [RAS-IDJAG-6.1-GRANT-PROFILE] [RAS-MCP-AUTH-METADATA] [RAS-DPOP-METADATA] serves exactly the RFC 8414 metadata of the RAS, both paths listed, DPoP algorithms included', async () => {
    const response = await rig.app.inject({ method: 'GET', url: WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(Value.Check(AuthorizationServerMetadata, response.json())).toBe(true);
    expect(response.json()).toEqual({
      issuer: 'http://localhost:3200',
      authorization_endpoint: 'http://localhost:3200/authorize',
      token_endpoint: 'http://localhost:3200/token',
      jwks_uri: 'http://localhost:3200/jwks.json',
      registration_endpoint: 'http://localhost:3200/register',
      grant_types_supported: [GRANT_TYPE_JWT_BEARER, 'authorization_code', 'refresh_token'],
      authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      scopes_supported: ['tickets.read', 'tickets.write'],
      introspection_endpoint: 'http://localhost:3200/introspect',
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint: 'http://localhost:3200/revoke',
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      dpop_signing_alg_values_supported: ['ES256'],
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

  it('[RAS-MCP-AUTH-METADATA] lists no registration endpoint and no metadata documents when both are turned off', async () => {
    const closed = await startRas({
      interactive: { dynamicClientRegistration: false, clientIdMetadataDocuments: { enabled: false } },
    });
    const metadata = (await closed.app.inject({ method: 'GET', url: WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER })).json();
    expect(metadata.registration_endpoint).toBeUndefined();
    expect(metadata.client_id_metadata_document_supported).toBe(false);
    expect((await closed.app.inject({ method: 'POST', url: '/register', payload: {} })).statusCode).toBe(404);
    await closed.app.close();
  });

  it('serves /healthz', async () => {
    const response = await rig.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
