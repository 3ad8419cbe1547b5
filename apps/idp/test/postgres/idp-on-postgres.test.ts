import { createTestDatabase } from '@ema/postgres-server/test-database';
import { TOKEN_TYPE_ID_JAG } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { authorizationParams, authorize, CookieJar, submitLogin, tokensFor } from '../support/browser.js';
import { idJagRequest, MCP, postToken, RAS, startIdp } from '../support/test-app.js';

// Two instances of the IdP on one fresh PostgreSQL database: what one does, the other must honour.
let a: IdpApp;
let b: IdpApp;
beforeAll(async () => {
  const databaseUrl = await createTestDatabase('idp_app');
  // One after the other, as a rolling start does: the second finds the demo world seeded and the keys made.
  a = (await startIdp({ config: { databaseUrl } })).app;
  b = (await startIdp({ config: { databaseUrl } })).app;
});
afterAll(async () => {
  await a?.close();
  await b?.close();
});

const exchange = (app: IdpApp, idToken: string) => postToken(app, idJagRequest(idToken));

/** Waits (at most a second) until `check` resolves true: a notice from the other instance arrives asynchronously. */
async function withinASecond(check: () => Promise<boolean>): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < 1000; ) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('the IdP on PostgreSQL, two instances', () => {
  it('[IDP-PG-APP] [IDP-PG-KEYS-SHARED] two instances booting at once on an empty database make one signing key', async () => {
    const databaseUrl = await createTestDatabase('idp_boot');
    const [first, second] = await Promise.all([
      startIdp({ config: { databaseUrl } }),
      startIdp({ config: { databaseUrl } }),
    ]);
    try {
      expect(second.app.idp.keyStore.signer().kid).toBe(first.app.idp.keyStore.signer().kid);
      expect((await second.app.inject('/jwks')).json()).toEqual((await first.app.inject('/jwks')).json());
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });

  it('[IDP-PG-APP] signs in and redeems the code on one instance, exchanges the ID token for an ID-JAG on the other', async () => {
    const { id_token } = await tokensFor(a, 'alice');
    const response = await exchange(b, id_token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ issued_token_type: TOKEN_TYPE_ID_JAG, token_type: 'N_A' });
    // Both instances publish the same keys: the ID token (signed by one) verifies against the other's JWKS.
    expect((await b.inject('/jwks')).json()).toEqual((await a.inject('/jwks')).json());
  });

  it('[IDP-PG-APP] [IDP-PG-REFRESH-REUSE-ACROSS-INSTANCES] a refresh token rotated on one instance and replayed on the other revokes the family', async () => {
    const { refresh_token } = await tokensFor(a, 'alice');
    const rotated = await postToken(a, { grant_type: 'refresh_token', refresh_token: String(refresh_token) });
    expect(rotated.statusCode).toBe(200);
    const replay = await postToken(b, { grant_type: 'refresh_token', refresh_token: String(refresh_token) });
    expect(replay.json().error).toBe('invalid_grant');
    const successor = await postToken(a, { grant_type: 'refresh_token', refresh_token: rotated.json().refresh_token });
    expect(successor.json().error).toBe('invalid_grant');
  });

  it('[IDP-PG-APP] [IDP-PG-CACHE-INVALIDATION] a policy change made on one instance applies at the next exchange on the other', async () => {
    const { id_token } = await tokensFor(a, 'bob');
    expect((await exchange(b, id_token)).statusCode).toBe(200);
    const resource = a.idp.storage.findResourceByIdentifier(MCP);
    if (resource === undefined) throw new Error('the demo world has no MCP resource');
    a.idp.storage.insertPolicyRule({
      id: 'deny-bob',
      description: 'Bob may not use tickets',
      effect: 'deny',
      subjectType: 'user',
      subject: 'bob',
      clientId: null,
      resourceId: resource.id,
      scopes: [],
      maxAuthAgeSeconds: null,
      requiredAmr: null,
      createdAt: 1,
    });
    const refused = await withinASecond(async () => (await exchange(b, id_token)).json().error === 'invalid_target');
    expect(refused).toBe(true);
  });

  it('[IDP-PG-APP] [IDP-PG-KEYS-SHARED] a key rotated on one instance signs and is published on the other within a second', async () => {
    const rotation = await a.inject({
      method: 'POST',
      url: '/admin/api/signing-keys/rotate',
      headers: { authorization: 'Bearer test-admin-api-token-0123456789abcdef' },
    });
    expect(rotation.statusCode).toBe(200);
    const { kid } = rotation.json() as { kid: string };
    const adopted = await withinASecond(async () => b.idp.keyStore.signer().kid === kid);
    expect(adopted).toBe(true);
    expect(b.idp.keyStore.nextKid()).toBe(a.idp.keyStore.nextKid());
    expect((await b.inject('/jwks')).json()).toEqual((await a.inject('/jwks')).json());
    // An ID token the other instance issues now is signed with the rotated key.
    const { id_token } = await tokensFor(b, 'alice');
    const header = JSON.parse(Buffer.from(id_token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string };
    expect(header.kid).toBe(kid);
  });

  it('[IDP-PG-APP] [IDP-PG-THROTTLE-SHARED] a sign-in throttle tripped on one instance holds on the other', async () => {
    const jar = new CookieJar();
    const page = await authorize(a, jar, authorizationParams().params);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const app = attempt % 2 === 0 ? a : b;
      expect((await submitLogin(app, jar, page.body, 'carol', 'wrong')).statusCode).toBe(401);
    }
    const blocked = await submitLogin(b, jar, page.body, 'carol', 'carol-password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
  });

  it('[IDP-PG-APP] answers a username PostgreSQL cannot hold (a NUL) as a failed sign-in, not a server error', async () => {
    const jar = new CookieJar();
    const page = await authorize(a, jar, authorizationParams().params);
    expect((await submitLogin(a, jar, page.body, 'dave\u0000', 'x')).statusCode).toBe(401);
  });

  it("[STORAGE-UNSTORABLE-TEXT-400] refuses a control character in a nonce or in admin input with the endpoint's own error, never a server error", async () => {
    const page = await authorize(a, new CookieJar(), authorizationParams({ nonce: 'n\u0000' }).params);
    expect(page.statusCode).toBe(302);
    const refused = new URL(String(page.headers.location));
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    expect(refused.searchParams.get('error_description')).toBe('nonce is malformed');

    const admin = (url: string, payload: object) =>
      a.inject({
        method: 'POST',
        url: `/admin/api${url}`,
        headers: { authorization: 'Bearer test-admin-api-token-0123456789abcdef' },
        payload,
      });
    const user = { username: 'dave', password: 'dave-password', name: 'Dave', email: 'dave@acme.example' };
    for (const [url, payload] of [
      ['/users', { ...user, name: 'Dave\u0000' }],
      ['/users', { ...user, email: 'dave\u0000@acme.example' }],
      ['/groups', { name: 'night-shift', description: 'bell\u0007' }],
      [
        '/clients',
        {
          clientId: 'c1',
          name: 'C',
          redirectUris: ['http://localhost/cb\u0000'],
          mayRequestIdJag: false,
          rasClientIds: {},
        },
      ],
      [
        '/clients',
        {
          clientId: 'c1',
          name: 'C',
          redirectUris: ['http://localhost/cb'],
          mayRequestIdJag: true,
          rasClientIds: { [RAS]: 'x\u0000' },
        },
      ],
    ] as const) {
      const response = await admin(url, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_request' });
    }
    expect((await admin('/users', user)).statusCode).toBe(201);
  });
});
