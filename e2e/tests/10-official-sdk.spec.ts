import { expect, type Page, test } from '@playwright/test';
import { URLS, USERS } from '../stack/demo-world.js';
import { signInAtIdp } from './support/idp-sign-in.js';
import {
  connectAndCallWhoami,
  RecordingProvider,
  sdkAuth,
  startLoopbackListener,
  startMetadataDocumentServer,
} from './support/official-sdk-client.js';

/** Opens the authorization URL the SDK produced, signs Alice in at the IdP, allows on the consent screen. */
async function approveInBrowser(page: Page, provider: RecordingProvider): Promise<string> {
  const url = provider.authorizationUrl;
  if (url === undefined) throw new Error('the SDK did not ask to open an authorization URL');
  expect(`${url.origin}${url.pathname}`).toBe(`${URLS.authorizationServer}/authorize`);
  await page.goto(url.href);
  await signInAtIdp(page, USERS.alice);
  await expect(page.getByTestId('consent-user')).toHaveText(USERS.alice.name);
  await page.getByTestId('consent-allow').click();
  await expect(page).toHaveURL((answer) => `${answer.origin}${answer.pathname}` === provider.redirectUrl);
  const answer = new URL(page.url());
  expect(answer.searchParams.get('state')).toBe(provider.expectedState);
  expect(answer.searchParams.get('iss')).toBe(URLS.authorizationServer);
  return answer.searchParams.get('code') ?? '';
}

test.describe('the official MCP SDK 1.32.2 on the interactive path', () => {
  test('[E2E-SDK-AUTH-CIMD] auth() connects with a Client ID Metadata Document served over HTTPS (a test CA the RAS trusts)', async ({
    page,
  }) => {
    const listener = await startLoopbackListener();
    const documents = await startMetadataDocumentServer();
    try {
      const clientMetadataUrl = `${documents.origin}/official-sdk/client.json`;
      documents.routes.set('/official-sdk/client.json', () => ({
        body: JSON.stringify({
          client_id: clientMetadataUrl,
          client_name: 'Official SDK client',
          redirect_uris: ['http://127.0.0.1/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      }));
      const provider = new RecordingProvider(listener.redirectUrl, clientMetadataUrl);
      expect(await sdkAuth(provider)).toBe('REDIRECT');
      expect(provider.authorizationUrl?.searchParams.get('client_id')).toBe(clientMetadataUrl);
      const code = await approveInBrowser(page, provider);
      expect(await sdkAuth(provider, code)).toBe('AUTHORIZED');
      const { tools, whoami } = await connectAndCallWhoami(provider);
      expect(tools).toContain('whoami');
      expect(whoami).toContain('alice@acme.example');
      expect(documents.requests).toContain('/official-sdk/client.json');
    } finally {
      await documents.close();
      await listener.close();
    }
  });

  test('[E2E-SDK-AUTH-DCR] auth() connects after registering itself by Dynamic Client Registration', async ({
    page,
  }) => {
    const listener = await startLoopbackListener();
    try {
      const provider = new RecordingProvider(listener.redirectUrl);
      expect(await sdkAuth(provider)).toBe('REDIRECT');
      expect(provider.clientInformation()?.client_id).toMatch(/^dcr_/);
      const code = await approveInBrowser(page, provider);
      expect(await sdkAuth(provider, code)).toBe('AUTHORIZED');
      const { tools, whoami } = await connectAndCallWhoami(provider);
      expect(tools).toContain('list_tickets');
      expect(whoami).toContain('alice@acme.example');
      // A refresh through the SDK rotates the refresh token (and the RAS asks the organization again).
      const before = provider.tokens()?.refresh_token;
      provider.saveTokens({
        ...(provider.tokens() ?? { access_token: '', token_type: 'Bearer' }),
        access_token: 'expired',
      });
      expect(await sdkAuth(provider)).toBe('AUTHORIZED');
      expect(provider.tokens()?.refresh_token).not.toBe(before);
    } finally {
      await listener.close();
    }
  });
});
