import { MEDIA_TYPE_FORM } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRasConfig } from '../../src/config.js';
import { basic, form, type Rig, startRas } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET } from '../support/test-idp.js';

const ISSUER = 'http://localhost:3200/tenant-a';

describe('a RAS issuer with a path', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas({ issuer: ISSUER });
  });
  afterAll(() => rig.app.close());

  it('[RAS-ISSUER-PATH] serves its metadata at the path-appended well-known URL (RFC 8414 §3.1), naming endpoints under the path', async () => {
    const response = await rig.app.inject({ url: '/.well-known/oauth-authorization-server/tenant-a' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks.json`,
      introspection_endpoint: `${ISSUER}/introspect`,
      revocation_endpoint: `${ISSUER}/revoke`,
    });
    // Nothing answers for another issuer: not the root, not the path-prefixed form of RFC 8414 §5.
    for (const url of ['/.well-known/oauth-authorization-server', '/tenant-a/.well-known/oauth-authorization-server']) {
      expect((await rig.app.inject({ url })).statusCode, url).toBe(404);
    }
  });

  it('[RAS-ISSUER-PATH] serves every endpoint under the path, and none at the root', async () => {
    expect((await rig.app.inject({ url: '/tenant-a/jwks.json' })).statusCode).toBe(200);
    expect((await rig.app.inject({ url: '/jwks.json' })).statusCode).toBe(404);
    const redeem = async (path: string) =>
      rig.app.inject({
        method: 'POST',
        url: path,
        headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET), 'content-type': MEDIA_TYPE_FORM },
        payload: form([
          ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
          ['assertion', await rig.idp.mint(rig.clock.seconds, { aud: ISSUER })],
        ]),
      });
    const issued = await redeem('/tenant-a/token');
    expect(issued.statusCode).toBe(200);
    expect(issued.json().token_type).toBe('Bearer');
    expect((await redeem('/token')).statusCode).toBe(404);
    const introspection = await rig.app.inject({
      method: 'POST',
      url: '/tenant-a/introspect',
      headers: { authorization: basic(CLIENT_ID, CLIENT_SECRET), 'content-type': MEDIA_TYPE_FORM },
      payload: form([['token', issued.json().access_token]]),
    });
    expect(introspection.json()).toMatchObject({ active: true, iss: ISSUER });
  });

  it('[RAS-ISSUER-PATH] refuses at boot a path a router would decode', () => {
    for (const issuer of ['https://as.example/tenant%20a', 'https://as.example/a//b', 'https://as.example/t;x']) {
      expect(() => loadRasConfig({ issuer, dataDir: '/tmp/x' }), issuer).toThrow(/^issuer: its path may use only/);
    }
    expect(
      loadRasConfig({ issuer: 'https://as.example/org/tenant-a', dataDir: '/tmp/x', allowInsecureLoopback: true })
        .issuer,
    ).toBe('https://as.example/org/tenant-a');
  });
});
