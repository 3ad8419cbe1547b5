/**
 * `/authorize` with a Client ID Metadata Document: fetched over TLS from a local server whose certificate a test CA
 * (made at test time) issued, trusted by the RAS through its `metadataDocumentCa` dependency (a separate process would
 * use NODE_EXTRA_CA_CERTS). Each refused document is a page, never a redirect, and an audit record.
 */

import { createTestCertificates, type DocumentServer, startDocumentServer } from '@ema/test-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { ADMIN_TOKEN, tempDataDir } from '../support/ras.js';
import { TestIdp } from '../support/test-idp.js';
import { auditOf, authorizationQuery, authorize } from './interactive-rig.js';

let server: DocumentServer;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  const certificates = await createTestCertificates();
  server = await startDocumentServer(certificates);
  const idp = await TestIdp.create();
  const config = loadRasConfig({
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    adminApiToken: ADMIN_TOKEN,
    interactive: { clientIdMetadataDocuments: { timeoutMs: 1500 } },
  });
  app = await buildApp(config, { fetch: idp.fetch, metadataDocumentCa: certificates.caCert });
});
afterAll(async () => {
  await app.close();
  await server.close();
});

const document = (clientId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    client_id: clientId,
    client_name: 'Doc client',
    redirect_uris: ['http://127.0.0.1/callback'],
    ...extra,
  });

describe('clients known by their metadata document', () => {
  it('[RAS-CIMD-CLIENT] accepts a client_id URL whose document lists the redirect URI, and sends the user to the IdP', async () => {
    server.routes.set('/client.json', (origin) => ({ body: document(`${origin}/client.json`) }));
    const response = await authorize(app, authorizationQuery(`${server.origin}/client.json`));
    expect(response.statusCode).toBe(302);
    expect(String(response.headers.location)).toMatch(/^http:\/\/localhost:3100\/authorize\?/);
    // The redirect URIs come from the document: one it does not list is refused on a page.
    const other = await authorize(
      app,
      authorizationQuery(`${server.origin}/client.json`, { redirect_uri: 'http://127.0.0.1:1/elsewhere' }),
    );
    expect(other.statusCode).toBe(400);
    expect(other.headers.location).toBeUndefined();
  });

  it.each([
    [
      '/large.json',
      (origin: string) => ({ body: document(`${origin}/large.json`, { pad: 'x'.repeat(6000) }) }),
      'ERR_CIMD_TOO_LARGE',
    ],
    ['/slow.json', (origin: string) => ({ body: document(`${origin}/slow.json`), delayMs: 4000 }), 'ERR_CIMD_TIMEOUT'],
    [
      '/redirected.json',
      (origin: string) => ({ status: 301, headers: { location: `${origin}/client.json` } }),
      'ERR_CIMD_REDIRECTED',
    ],
    ['/malformed.json', () => ({ body: '{"client_id": ' }), 'ERR_CIMD_NOT_JSON'],
    [
      '/mismatch.json',
      (origin: string) => ({ body: document(`${origin}/client.json`) }),
      'ERR_CIMD_CLIENT_ID_MISMATCH',
    ],
    [
      '/secret.json',
      (origin: string) => ({ body: document(`${origin}/secret.json`, { client_secret: 's' }) }),
      'ERR_CIMD_METADATA_INVALID',
    ],
  ])('[RAS-CIMD-REFUSALS] refuses the document at %s on a page (%s), audited', async (path, route, reason) => {
    server.routes.set(path, route);
    const response = await authorize(app, authorizationQuery(`${server.origin}${path}`));
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.body).toContain('Unknown application');
    const [audit] = await auditOf(app, 'authorization.request');
    expect(audit).toMatchObject({ outcome: 'deny', reason, client_id: `${server.origin}${path}` });
  });

  it('[RAS-CIMD-REFUSALS] refuses a document at a private or link-local address without connecting to it', async () => {
    for (const clientId of [
      'https://10.20.30.40/client.json',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd12::1]/c.json',
    ]) {
      const response = await authorize(app, authorizationQuery(clientId));
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('private, loopback or link-local');
      const [audit] = await auditOf(app, 'authorization.request');
      expect(audit).toMatchObject({ reason: 'ERR_CIMD_ADDRESS_REFUSED' });
    }
    const plain = await authorize(app, authorizationQuery('http://app.example.com/client.json'));
    expect(plain.body).toContain('The client_id URL must use https.');
  });
});
