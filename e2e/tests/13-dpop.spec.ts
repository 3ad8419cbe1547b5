import { expect, type Locator, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { AgentHost, issuedToken } from './support/agent-host.js';

/** The decoded DPoP proof the inspector shows for a request (its signature withheld). */
async function shownProof(
  exchange: Locator,
): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const card = exchange.getByTestId('decoded-token').filter({ hasText: 'dpop+jwt' }).first();
  const [header, claims] = await card.locator('pre').allTextContents();
  await expect(card).toContainText('Signature: [redacted]');
  return { header: JSON.parse(header ?? 'null'), claims: JSON.parse(claims ?? 'null') };
}

test.describe('DPoP (RFC 9449): Alice with sender-constrained tokens', () => {
  test('[E2E-DPOP-INSPECTOR] Alice connects with DPoP on; the inspector shows each proof decoded and the cnf claims of the ID-JAG and the access token', async ({
    browser,
  }) => {
    const alice = await AgentHost.signIn(browser, USERS.alice);
    await alice.connect();
    await alice.expectConnected();
    await alice.callTool('list_tickets');
    await alice.openInspector();

    // Token exchange: a proof by the connection's key; the IdP binds the ID-JAG to it.
    const exchange = alice.inspectorStep('token-exchange').getByTestId('exchange').first();
    await exchange.locator('summary').click();
    const exchangeProof = await shownProof(exchange);
    expect(exchangeProof.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
    expect(exchangeProof.header.jwk).not.toHaveProperty('d');
    expect(exchangeProof.claims).toMatchObject({ htm: 'POST', htu: `${URLS.idp}/token` });
    const idJag = await issuedToken(exchange);
    const jkt = (idJag.claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    expect(jkt).toEqual(expect.any(String));

    // jwt-bearer grant: a proof by the same key; the access token is bound to the same thumbprint.
    const grant = alice.inspectorStep('jwt-bearer').getByTestId('exchange').first();
    await grant.locator('summary').click();
    expect((await shownProof(grant)).claims).toMatchObject({ htm: 'POST', htu: `${URLS.authorizationServer}/token` });
    await expect(grant).toContainText('"token_type": "DPoP"');
    const accessToken = await issuedToken(grant);
    expect(accessToken.claims.cnf).toEqual({ jkt });

    // MCP: the DPoP scheme, and a proof bound to the token (ath) on every request, for its own method: here the DELETE
    // that closes the session (found by its method: the client's GET stream may be recorded after it, when it ends).
    const call = alice
      .inspectorStep('mcp')
      .getByTestId('exchange')
      .filter({ hasText: /\bDELETE\b/ })
      .last();
    await call.locator('summary').click();
    await expect(call).toContainText('DPoP eyJ');
    const callProof = await shownProof(call);
    expect(callProof.claims).toMatchObject({ htm: 'DELETE', ath: expect.any(String) });
    await alice.close();
  });
});
