import { MEDIA_TYPE_FORM } from '@ema/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, basic, type Rig, startRas } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET } from '../support/test-idp.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.app.close();
  rig = undefined;
});

function token(current: Rig, authorization: string, remoteAddress = '203.0.113.7') {
  return current.app.inject({
    method: 'POST',
    url: '/token',
    remoteAddress,
    headers: { authorization, 'content-type': MEDIA_TYPE_FORM },
    payload: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=not-a-jwt',
  });
}

describe('rate limits of the RAS', () => {
  it('[KIT-RATE-LIMIT] limits the token endpoint per address and per authenticated client', async () => {
    rig = await startRas({ tokenRateLimitPerAddress: 3, tokenRateLimitPerClient: 2 });
    const client = basic(CLIENT_ID, CLIENT_SECRET);
    expect((await token(rig, client)).statusCode).toBe(400);
    // A wrong secret spends the address's budget, never the client's.
    expect((await token(rig, basic(CLIENT_ID, 'wrong'), '198.51.100.1')).statusCode).toBe(401);
    expect((await token(rig, client, '192.0.2.1')).statusCode).toBe(400);
    const perClient = await token(rig, client, '192.0.2.2');
    expect(perClient.statusCode).toBe(429);
    expect(Number(perClient.headers['retry-after'])).toBeGreaterThan(0);
    expect(perClient.headers['cache-control']).toBe('no-store');
    expect(perClient.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: `rate limit exceeded; retry after ${perClient.headers['retry-after']} s`,
    });
    expect((await token(rig, basic(CLIENT_ID, 'wrong'))).statusCode).toBe(401);
    expect((await token(rig, basic(CLIENT_ID, 'wrong'))).statusCode).toBe(401);
    expect((await token(rig, basic(CLIENT_ID, 'wrong'))).statusCode).toBe(429);
  });

  it('[KIT-RATE-LIMIT] limits the admin API per address, before the token is even compared', async () => {
    rig = await startRas({ adminRateLimitPerAddress: 2 });
    const call = (authorization: string) => rig?.app.inject({ url: '/admin/api/clients', headers: { authorization } });
    expect((await call('Bearer wrong-guess'))?.statusCode).toBe(401);
    expect((await call(`Bearer ${ADMIN_TOKEN}`))?.statusCode).toBe(200);
    const limited = await call(`Bearer ${ADMIN_TOKEN}`);
    expect(limited?.statusCode).toBe(429);
    expect(limited?.headers['retry-after']).toBeDefined();
    expect(limited?.json().error).toBe('temporarily_unavailable');
  });

  it('has defaults no test suite or demo session approaches', async () => {
    rig = await startRas();
    expect(rig.config).toMatchObject({
      tokenRateLimitPerAddress: 6000,
      tokenRateLimitPerClient: 3000,
      adminRateLimitPerAddress: 600,
    });
  });
});
