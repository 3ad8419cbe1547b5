import { afterEach, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { AGENT, addOtherClient, basic, form, OTHER, startIdp } from '../support/test-app.js';

let app: IdpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const REFRESH = { grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' };

function token(server: IdpApp, authorization: string, remoteAddress = '203.0.113.7', forwardedFor?: string) {
  return server.inject({
    method: 'POST',
    url: '/token',
    remoteAddress,
    headers: {
      authorization,
      'content-type': 'application/x-www-form-urlencoded',
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    payload: form(REFRESH),
  });
}

function expectRateLimited(response: Awaited<ReturnType<typeof token>>): void {
  expect(response.statusCode).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  expect(response.json()).toEqual({
    error: 'temporarily_unavailable',
    error_description: `rate limit exceeded; retry after ${response.headers['retry-after']} s`,
  });
}

describe('rate limits of the IdP', () => {
  it('[KIT-RATE-LIMIT] limits the token endpoint per address and per client', async () => {
    ({ app } = await startIdp({ config: { tokenRateLimitPerAddress: 3, tokenRateLimitPerClient: 2 } }));
    addOtherClient(app);
    const agent = basic(AGENT.id, AGENT.secret);
    // Refused grants still count: the limit is on requests, not on successes.
    expect((await token(app, agent)).statusCode).toBe(400);
    expect((await token(app, agent)).statusCode).toBe(400);
    expectRateLimited(await token(app, agent, '198.51.100.1'));
    expect((await token(app, basic(OTHER.id, OTHER.secret))).statusCode).toBe(400);
    expectRateLimited(await token(app, basic(OTHER.id, OTHER.secret)));
  });

  it('[KIT-TRUSTED-PROXIES] counts each client behind a trusted balancer apart, and believes no one else', async () => {
    ({ app } = await startIdp({ config: { tokenRateLimitPerAddress: 1, trustedProxies: ['127.0.0.1'] } }));
    const agent = basic(AGENT.id, AGENT.secret);
    expect((await token(app, agent, '127.0.0.1', '198.51.100.1')).statusCode).toBe(400);
    expect((await token(app, agent, '127.0.0.1', '198.51.100.2')).statusCode).toBe(400);
    expectRateLimited(await token(app, agent, '127.0.0.1', '198.51.100.1'));
    // A client that is not the balancer cannot pick its own address.
    expect((await token(app, agent, '203.0.113.50', '198.51.100.3')).statusCode).toBe(400);
    expectRateLimited(await token(app, agent, '203.0.113.50', '198.51.100.4'));
  });

  it('[KIT-RATE-LIMIT] limits the admin API per address', async () => {
    ({ app } = await startIdp({ config: { adminRateLimitPerAddress: 2 } }));
    const admin = { authorization: 'Bearer test-admin-api-token-0123456789abcdef' };
    for (let call = 0; call < 2; call++) {
      expect((await app.inject({ url: '/admin/api/users', headers: admin })).statusCode).toBe(200);
    }
    const limited = await app.inject({ url: '/admin/api/users', headers: admin });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json().error).toBe('temporarily_unavailable');
  });

  it('has defaults that no test suite or demo session approaches, and refuses a limit of zero', async () => {
    ({ app } = await startIdp());
    expect(app.idp.config).toMatchObject({
      tokenRateLimitPerAddress: 6000,
      tokenRateLimitPerClient: 3000,
      adminRateLimitPerAddress: 600,
    });
    await expect(startIdp({ config: { tokenRateLimitPerClient: 0 } })).rejects.toThrow(/^tokenRateLimitPerClient: /);
  });
});
