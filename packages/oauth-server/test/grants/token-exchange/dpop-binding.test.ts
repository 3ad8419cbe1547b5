import { decodeUnverified } from '@ema/jwt';
import { describe, expect, it } from 'vitest';
import { OAuthError, tokenExchangeGrant } from '../../../src/index.js';
import { agent, exchangeParams, exchangeSetup } from './exchange-fixture.js';

const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

describe('tokenExchangeGrant: DPoP', () => {
  it('[IDP-DPOP-CNF] binds the ID-JAG to the key of the exchange proof (cnf.jkt), and leaves it unbound without one', async () => {
    const setup = exchangeSetup();
    const grant = tokenExchangeGrant(setup.options);
    const params = await exchangeParams();
    const bound = await grant.handler({
      params,
      client: agent,
      clientAuthMethod: 'client_secret_basic',
      dpop: { jkt: JKT },
    });
    if (bound instanceof OAuthError) throw bound;
    expect(decodeUnverified(bound.access_token)?.claims.cnf).toEqual({ jkt: JKT });
    expect(setup.audited.at(-1)?.details).toMatchObject({ jkt: JKT });
    const unbound = await grant.handler({
      params: await exchangeParams(),
      client: agent,
      clientAuthMethod: 'client_secret_basic',
    });
    expect(decodeUnverified(unbound.access_token)?.claims.cnf).toBeUndefined();
  });
});
