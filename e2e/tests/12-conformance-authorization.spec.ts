/**
 * The official MCP conformance tool's authorization-server scenarios against the running RAS, in one run (the
 * second scenario reads the metadata the first one fetched): `authorization-server-metadata-endpoint`, then
 * `authorization-code-grant`, whose authorization request (the tool's own PKCE S256 challenge, `state`, `resource`)
 * the browser follows through the IdP's sign-in page and the RAS's consent, back to the tool's callback server on a
 * port of its own. The tool then redeems the code itself and checks the token response.
 *
 * The client is registered first by Dynamic Client Registration (RFC 7591), as a public native client with a
 * port-less loopback redirect URI: the tool listens on `http://127.0.0.1:<port>/callback` (RFC 8252 §7.3).
 */
import { expect, test } from '@playwright/test';
import { MCP_RESOURCE, URLS, USERS } from '../stack/demo-world.js';
import { CONFORMANCE_RELEASE, freeLoopbackPort, startConformance } from './support/conformance-tool.js';
import { signInAtIdp } from './support/idp-sign-in.js';

async function registerNativeClient(): Promise<string> {
  const response = await fetch(`${URLS.authorizationServer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'MCP conformance tool',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }),
  });
  const body = (await response.json()) as { client_id?: unknown };
  expect(response.status, JSON.stringify(body)).toBe(201);
  if (typeof body.client_id !== 'string') throw new Error(`no client_id in ${JSON.stringify(body)}`);
  return body.client_id;
}

test.describe(`MCP conformance ${CONFORMANCE_RELEASE}, authorization-server scenarios, against the RAS`, () => {
  test('[CONFORMANCE-AUTHORIZATION-SERVER][RAS-MCP-AUTH-METADATA][RAS-RFC9207-ISS][RAS-INTERACTIVE-FLOW] authorization-server-metadata-endpoint and authorization-code-grant pass, the browser signing Alice in and consenting', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const clientId = await registerNativeClient();
    const port = await freeLoopbackPort();
    const run = startConformance([
      'authorization',
      '--url',
      URLS.authorizationServer,
      '--client-id',
      clientId,
      '--resource',
      MCP_RESOURCE,
      '--port',
      String(port),
    ]);
    const [authorizationUrl = ''] = await run.waitFor(/^https?:\/\/\S+\/authorize\?\S+$/m);
    const request = new URL(authorizationUrl);
    expect(`${request.origin}${request.pathname}`).toBe(`${URLS.authorizationServer}/authorize`);
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);

    await page.goto(authorizationUrl);
    await signInAtIdp(page, USERS.alice);
    await expect(page.getByTestId('consent-user')).toHaveText(USERS.alice.name);
    await page.getByTestId('consent-allow').click();
    // The tool's own callback server answers the browser, then the tool redeems the code.
    await expect(page).toHaveURL((url) => url.origin === `http://127.0.0.1:${port}` && url.pathname === '/callback');
    const answer = new URL(page.url());
    expect(answer.searchParams.get('iss')).toBe(URLS.authorizationServer);

    const { output, status } = await run.exited;
    expect(output).toMatch(/✓ authorization-server-metadata-endpoint: 2 passed, 0 failed/);
    expect(output).toMatch(/✓ authorization-code-grant: 1 passed, 0 failed/);
    expect(output).toContain('Total: 3 passed, 0 failed');
    expect(status, output).toBe(0);
  });
});
