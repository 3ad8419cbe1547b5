import { createServer } from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { buildApp } from '../../src/app.js';
import { loadIdpConfig } from '../../src/config.js';
import { AGENT, form, REDIRECT_URI, tempDataDir } from '../support/test-app.js';

// The issuer must be known before the app is built, so reserve a free loopback port first.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let app: IdpApp;
let issuer: string;
beforeAll(async () => {
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const config = loadIdpConfig({
    issuer,
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    passwordHashCost: 14,
  });
  app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port });
});
afterAll(async () => {
  await app.close();
});

describe('interoperability with a certified relying party library', () => {
  it('[IDP-OIDC-INTEROP] openid-client v6 completes the code flow with PKCE and validates the ID token', async () => {
    const config = await client.discovery(
      new URL(issuer),
      AGENT.id,
      undefined,
      client.ClientSecretBasic(AGENT.secret),
      {
        execute: [client.allowInsecureRequests],
      },
    );
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email groups offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });

    // The "browser": open the sign-in page, keep its cookies, submit the form.
    const page = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const cookies = page.headers
      .getSetCookie()
      .map((cookie) => cookie.split(';')[0])
      .join('; ');
    const html = await page.text();
    const fields: Record<string, string> = {};
    for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&');
    }
    const login = await fetch(`${issuer}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ ...fields, username: 'alice', password: 'alice-password' }),
    });
    expect(login.status).toBe(302);
    const callback = new URL(String(login.headers.get('location')));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);

    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(tokens.claims()).toMatchObject({
      iss: issuer,
      sub: 'usr_alice',
      aud: AGENT.id,
      email: 'alice@acme.example',
      nonce,
      amr: ['pwd'],
    });

    const userinfo = await client.fetchUserInfo(config, tokens.access_token, 'usr_alice');
    expect(userinfo).toMatchObject({ sub: 'usr_alice', email: 'alice@acme.example', groups: ['engineering'] });
  });
});
