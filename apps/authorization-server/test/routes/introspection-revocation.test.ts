import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ClientAuth, postForm, type Rig, redeem, startRas } from '../support/ras.js';
import { CLIENT_ID, RAS_ISSUER, RESOURCE } from '../support/test-idp.js';

describe('introspection (RFC 7662) and revocation (RFC 7009)', () => {
  let rig: Rig;
  let other: ClientAuth;

  const issue = async (): Promise<string> => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds));
    return response.json<{ access_token: string }>().access_token;
  };
  const introspect = (token: string, auth?: ClientAuth) => postForm(rig.app, '/introspect', [['token', token]], auth);
  const revoke = (token: string, auth?: ClientAuth) => postForm(rig.app, '/revoke', [['token', token]], auth);

  beforeAll(async () => {
    rig = await startRas();
    const created = await rig.app.inject({
      method: 'POST',
      url: '/admin/api/clients',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { client_id: 'other-client', name: 'Another client' },
    });
    other = {
      method: 'basic',
      clientId: 'other-client',
      secret: created.json<{ client_secret: string }>().client_secret,
    };
  });
  afterAll(() => rig.app.close());

  it('[RAS-RFC7662-INTROSPECT] reports an active token of the calling client with its claims', async () => {
    const token = await issue();
    const response = await introspect(token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toMatchObject({
      active: true,
      client_id: CLIENT_ID,
      token_type: 'Bearer',
      scope: 'tickets.read tickets.write',
      aud: RESOURCE,
      iss: 'http://localhost:3200',
      exp: rig.clock.seconds + 900,
      iat: rig.clock.seconds,
      username: 'alice@acme.example',
    });
  });

  it('[RAS-RFC7662-INACTIVE] answers only {active:false} for unknown, foreign, expired and revoked tokens', async () => {
    expect((await introspect('not-a-token')).json()).toEqual({ active: false });
    const token = await issue();
    expect((await introspect(token, other)).json()).toEqual({ active: false });
    const forged = await rig.idp.mint(rig.clock.seconds);
    expect((await introspect(forged)).json()).toEqual({ active: false });
    rig.clock.advance(901);
    try {
      expect((await introspect(token)).json()).toEqual({ active: false });
    } finally {
      rig.clock.advance(-901);
    }
  });

  it('[RAS-RFC7662-INTROSPECT] requires client authentication', async () => {
    const response = await introspect(await issue(), { method: 'none' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client' });
    const missing = await postForm(rig.app, '/introspect', []);
    expect(missing.json()).toMatchObject({ error: 'invalid_request' });
    const json = await rig.app.inject({ method: 'POST', url: '/introspect', payload: { token: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('[RAS-RFC7009-REVOKE] revokes a token; introspection then reports it inactive', async () => {
    const token = await issue();
    const response = await revoke(token);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect((await introspect(token)).json()).toEqual({ active: false });
    expect((await revoke(token)).statusCode).toBe(200);
  });

  it('[RAS-RFC7009-UNKNOWN-TOKEN-200] answers 200 for an unknown or invalid token', async () => {
    const response = await revoke('whatever');
    expect(response.statusCode).toBe(200);
  });

  it('[RAS-RFC7009-REVOKE] refuses to revoke a token issued to another client, which stays active', async () => {
    const token = await issue();
    const response = await revoke(token, other);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
    expect((await introspect(token)).json()).toMatchObject({ active: true });
  });

  it('[RAS-RFC7662-INTROSPECT] challenges a failed Basic authentication with the realm of the token endpoint', async () => {
    for (const url of ['/introspect', '/revoke']) {
      const response = await postForm(rig.app, url, [['token', 'x']], {
        method: 'basic',
        clientId: CLIENT_ID,
        secret: 'wrong',
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'invalid_client' });
      expect(response.headers['www-authenticate']).toBe(`Basic realm="${RAS_ISSUER}"`);
    }
  });
});
