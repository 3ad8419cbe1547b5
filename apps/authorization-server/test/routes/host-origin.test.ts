import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Rig, startRas } from '../support/ras.js';

const newIdp = { issuer: 'https://rebound-idp.example', jwks_uri: 'https://rebound-idp.example/jwks' };

describe('Host and Origin checks of the RAS', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(() => rig.app.close());

  const registerIdp = (headers: Record<string, string>) =>
    rig.app.inject({
      method: 'PUT',
      url: '/admin/api/trusted-idps',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
      payload: newIdp,
    });

  const trusted = async (): Promise<string[]> => {
    const list = await rig.app.inject({
      url: '/admin/api/trusted-idps',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return list.json().trusted_idps.map((idp: { issuer: string }) => idp.issuer);
  };

  it('[KIT-HOST-ORIGIN-CHECK] a rebound page cannot register its own trusted IdP: 421 before the admin API runs', async () => {
    const rebound = await registerIdp({ host: 'attacker.example:3200' });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the Host header does not name this server',
    });
    const token = await rig.app.inject({ method: 'POST', url: '/token', headers: { host: 'attacker.example' } });
    expect(token.statusCode).toBe(421);
    expect(await trusted()).not.toContain(newIdp.issuer);
  });

  it('[KIT-HOST-ORIGIN-CHECK] refuses a state-changing admin request from a foreign Origin with 403', async () => {
    const foreign = await registerIdp({ host: 'localhost:3200', origin: 'http://attacker.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({
      error: 'invalid_request',
      error_description: 'cross-origin requests are not accepted here',
    });
    expect((await registerIdp({ host: 'localhost:3200', origin: 'null' })).statusCode).toBe(403);
    expect(await trusted()).not.toContain(newIdp.issuer);
    // The admin page (same origin) and server-to-server callers (no Origin) pass.
    expect((await registerIdp({ host: 'localhost:3200', origin: 'http://localhost:3200' })).statusCode).toBe(200);
    expect(await trusted()).toContain(newIdp.issuer);
  });
});
