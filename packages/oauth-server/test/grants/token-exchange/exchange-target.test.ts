import { describe, expect, it } from 'vitest';
import { agent, exchangeParams, exchangeSetup, MCP, RAS, refusal } from './exchange-fixture.js';

describe('token exchange step 4: the (audience, resource) pair', () => {
  it('[IDP-EMA-7.6.1-AUDIENCE-RESOURCE] refuses an unknown resource with invalid_target', async () => {
    const refused = await refusal(exchangeSetup(), await exchangeParams({ resource: `${MCP}/` }));
    expect(refused).toMatchObject({
      status: 400,
      body: { error: 'invalid_target', error_description: 'unknown resource' },
      reason: 'unknown_resource',
      details: { error: 'invalid_target', audience: RAS },
    });
  });

  it('[IDP-EMA-7.6.1-AUDIENCE-RESOURCE] refuses an audience that is not exactly the RAS of the resource (trailing slash included)', async () => {
    const refused = await refusal(exchangeSetup(), await exchangeParams({ audience: `${RAS}/` }));
    expect(refused).toMatchObject({
      body: {
        error: 'invalid_target',
        error_description: 'the audience is not the authorization server of this resource',
      },
      reason: 'audience_resource_mismatch',
      details: { error: 'invalid_target', audience: `${RAS}/`, expectedAudience: RAS },
    });
  });

  it('[IDP-EXCHANGE-CLIENT-ALLOWED] refuses a client not allowed ID-JAGs (unauthorized_client) and one unknown at the RAS (invalid_target)', async () => {
    const notAllowed = await refusal(exchangeSetup(), await exchangeParams(), { ...agent, mayRequestIdJag: false });
    expect(notAllowed).toMatchObject({
      body: { error: 'unauthorized_client', error_description: 'this client may not request ID-JAGs' },
      reason: 'client_not_allowed',
      details: { error: 'unauthorized_client' },
    });
    const unknownAtRas = await refusal(exchangeSetup(), await exchangeParams(), { ...agent, rasClientIds: {} });
    expect(unknownAtRas).toMatchObject({
      body: {
        error: 'invalid_target',
        error_description: 'this client is not registered at that authorization server',
      },
      reason: 'client_not_registered_at_audience',
      details: { error: 'invalid_target', audience: RAS },
    });
  });
});
