import { TOKEN_TYPE_ID_JAG } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { ISSUER, startIdp } from '../support/test-app.js';

let app: IdpApp;
beforeAll(async () => {
  ({ app } = await startIdp());
});
afterAll(async () => {
  await app.close();
});

describe('discovery, JWKS and health', () => {
  it('[IDP-OIDC-DISCOVERY] serves the same metadata at both well-known paths', async () => {
    const oidc = await app.inject({ method: 'GET', url: '/.well-known/openid-configuration' });
    const oauth = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(oidc.statusCode).toBe(200);
    expect(oauth.json()).toEqual(oidc.json());
    expect(oidc.json()).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      userinfo_endpoint: `${ISSUER}/userinfo`,
      jwks_uri: `${ISSUER}/jwks`,
      end_session_endpoint: `${ISSUER}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
      identity_chaining_requested_token_types_supported: [TOKEN_TYPE_ID_JAG],
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('[IDP-JWKS] publishes the public signing key only, by kid', async () => {
    const response = await app.inject({ method: 'GET', url: '/jwks' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/jwk-set+json');
    const { keys } = response.json();
    // The current key and the pre-published next key (published before it ever signs).
    expect(keys.map((key: { kid: string }) => key.kid).sort()).toEqual(
      [app.idp.keyStore.signer().kid, app.idp.keyStore.nextKid()].sort(),
    );
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256' });
      expect(key.d).toBeUndefined();
    }
  });

  it('serves GET /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown paths with a JSON 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'not found' });
  });
});
