import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { hmacWithPublicKey, signedByUnknownKid } from '../support/forged-assertions.js';
import { ADMIN_TOKEN, basic, postForm, redeem, TestClock, tempDataDir } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET, TestIdp } from '../support/test-idp.js';

describe('logs', () => {
  const lines: string[] = [];
  let close: () => Promise<void> = async () => {};
  afterAll(async () => close());

  it('[RAS-LOGS-NO-SECRETS] never write a token, assertion, client secret or admin token, at any level, over a full flow', async () => {
    const idp = await TestIdp.create();
    const clock = new TestClock();
    const config = loadRasConfig({
      dataDir: tempDataDir(),
      allowInsecureLoopback: true,
      logLevel: 'trace',
      adminApiToken: ADMIN_TOKEN,
    });
    const app = await buildApp(config, {
      fetch: idp.fetch,
      now: clock.now,
      logStream: { write: (line) => lines.push(line) },
    });
    close = () => app.close();
    const secrets: string[] = [CLIENT_SECRET, ADMIN_TOKEN];

    const assertion = await idp.mint(clock.seconds);
    secrets.push(assertion);
    const granted = await redeem(app, assertion);
    expect(granted.statusCode).toBe(200);
    const accessToken = granted.json<{ access_token: string }>().access_token;
    secrets.push(accessToken);
    // Refusals: a replay, forged assertions, a wrong secret (sent through both methods).
    expect((await redeem(app, assertion)).statusCode).toBe(400);
    for (const forged of [await hmacWithPublicKey(idp, clock.seconds), await signedByUnknownKid(idp, clock.seconds)]) {
      secrets.push(forged);
      expect((await redeem(app, forged)).statusCode).toBe(400);
    }
    const wrongSecret = 'wrong-secret-value-that-must-not-be-logged';
    secrets.push(wrongSecret);
    expect(
      (await redeem(app, assertion, [], { method: 'basic', clientId: CLIENT_ID, secret: wrongSecret })).statusCode,
    ).toBe(401);
    expect(
      (await redeem(app, assertion, [], { method: 'post', clientId: CLIENT_ID, secret: wrongSecret })).statusCode,
    ).toBe(401);
    // Introspection and revocation carry the access token in the body.
    expect((await postForm(app, '/introspect', [['token', accessToken]])).statusCode).toBe(200);
    expect((await postForm(app, '/revoke', [['token', accessToken]])).statusCode).toBe(200);
    // The admin API: a wrong and a right token; a new client secret generated through it.
    const wrongAdmin = 'wrong-admin-token-value-that-must-not-be-logged';
    secrets.push(wrongAdmin);
    const admin = (token: string) => ({ authorization: `Bearer ${token}` });
    expect(
      (await app.inject({ method: 'GET', url: '/admin/api/clients', headers: admin(wrongAdmin) })).statusCode,
    ).toBe(401);
    const rotated = await app.inject({
      method: 'POST',
      url: `/admin/api/clients/${CLIENT_ID}/secret`,
      headers: admin(ADMIN_TOKEN),
    });
    expect(rotated.statusCode).toBe(200);
    secrets.push(rotated.json<{ client_secret: string }>().client_secret);
    // A token in a query string must not reach the log either (the request serializer drops queries).
    await app.inject({ method: 'GET', url: `/token?assertion=${assertion}` });
    await app.inject({ method: 'POST', url: '/token', headers: { authorization: basic(CLIENT_ID, wrongSecret) } });

    const output = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(output).not.toContain(secret);
      // Nor any sizeable piece of it (a JWT's signature part, say).
      expect(output).not.toContain(secret.slice(-24));
    }
  });
});
