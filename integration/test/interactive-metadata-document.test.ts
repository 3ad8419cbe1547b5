/**
 * A client known only by its Client ID Metadata Document (MCP-AUTH 2025-11-25) on the interactive path, end to end:
 * the document is served over TLS by a test CA made at test time, which the RAS trusts; no registration happens.
 */
import { createTestCertificates, type DocumentServer, startDocumentServer } from '@ema/test-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerConsent,
  authorizeAndSignIn,
  type CallbackServer,
  pkcePair,
  publicTokenRequest,
  type Stack,
  startCallbackServer,
  startStack,
  TestBrowser,
} from '../src/index.js';

let stack: Stack;
let callback: CallbackServer;
let documents: DocumentServer;
beforeAll(async () => {
  const certificates = await createTestCertificates();
  documents = await startDocumentServer(certificates);
  stack = await startStack({ metadataDocumentCa: certificates.caCert });
  callback = await startCallbackServer();
}, 60_000);
afterAll(async () => {
  await callback?.close();
  await stack?.close();
  await documents?.close();
});

describe('a client identified by its metadata document', () => {
  it('[RAS-CIMD-CLIENT] signs Alice in, consents and exchanges the code with the document URL as client_id', async () => {
    documents.routes.set('/oauth/client.json', (origin) => ({
      headers: { 'cache-control': 'max-age=300' },
      body: JSON.stringify({
        client_id: `${origin}/oauth/client.json`,
        client_name: 'Document MCP client',
        client_uri: origin,
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    }));
    const clientId = `${documents.origin}/oauth/client.json`;
    const browser = new TestBrowser();
    const pkce = pkcePair();
    const flow = await authorizeAndSignIn(browser, {
      rasIssuer: stack.rasIssuer,
      clientId,
      redirectUri: callback.redirectUri,
      challenge: pkce.challenge,
      resource: stack.mcpResource,
      scope: 'tickets.read',
      state: 'doc-state',
      username: 'alice',
    });
    expect(flow.page).toContain('data-testid="consent-client">Document MCP client');
    expect(flow.page).toContain(
      `<code>${new URL(clientId).host}</code> <span class="muted">(from its client metadata document)`,
    );
    const response = await answerConsent(browser, flow.page, 'allow');
    const exchanged = await publicTokenRequest(stack.rasIssuer, {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: response.searchParams.get('code') ?? '',
      redirect_uri: callback.redirectUri,
      code_verifier: pkce.verifier,
    });
    expect(exchanged.status).toBe(200);
    expect(exchanged.body.scope).toBe('tickets.read');
    const refreshed = await publicTokenRequest(stack.rasIssuer, {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: String(exchanged.body.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    // Fetched once: the second use was served from the cache its max-age allowed.
    expect(documents.requests.filter((path) => path === '/oauth/client.json')).toHaveLength(1);
  });
});
