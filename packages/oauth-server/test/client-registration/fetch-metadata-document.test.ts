/**
 * Client ID Metadata Documents fetched over real TLS from a local server whose certificate a test CA (made at test
 * time) issued. Private addresses are refused before any connection is attempted.
 */

import { createTestCertificates, type DocumentServer, startDocumentServer, type TestCertificates } from '@ema/test-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMetadataDocumentResolver,
  fetchMetadataDocument,
  isPermittedAddress,
  type MetadataDocumentClient,
  MetadataDocumentError,
  type MetadataDocumentErrorCode,
  parseClientIdUrl,
} from '../../src/index.js';

let certificates: TestCertificates;
let server: DocumentServer;
beforeAll(async () => {
  certificates = await createTestCertificates();
  server = await startDocumentServer(certificates);
});
afterAll(() => server.close());

const document = (clientId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ client_id: clientId, client_name: 'Doc client', redirect_uris: ['http://127.0.0.1/cb'], ...extra });

function resolverFor(now = () => 1_000_000, options: { allowLoopback?: boolean; timeoutMs?: number } = {}) {
  const saved = new Map<string, MetadataDocumentClient>();
  const resolve = createMetadataDocumentResolver({
    allowLoopback: options.allowLoopback ?? true,
    ca: certificates.caCert,
    timeoutMs: options.timeoutMs ?? 5000,
    cache: { find: (id) => saved.get(id), save: (client) => saved.set(client.clientId, client) },
    now,
  });
  return { resolve, saved };
}

async function codeOf(work: Promise<unknown>): Promise<MetadataDocumentErrorCode> {
  try {
    await work;
  } catch (error) {
    if (error instanceof MetadataDocumentError) return error.code;
    throw error;
  }
  throw new Error('accepted');
}

describe('Client ID Metadata Documents', () => {
  it('[KIT-CIMD-FETCH] fetches over TLS, checks client_id = URL, takes redirect_uris from the document, caches per max-age', async () => {
    server.routes.set('/ok.json', (origin) => ({
      body: document(`${origin}/ok.json`),
      headers: { 'cache-control': 'max-age=120' },
    }));
    let now = 1_000_000;
    const { resolve } = resolverFor(() => now);
    const client = await resolve(`${server.origin}/ok.json`);
    expect(client.metadata.redirectUris).toEqual(['http://127.0.0.1/cb']);
    expect(client.metadata.clientName).toBe('Doc client');
    expect(client.freshUntil).toBe(1_000_000 + 120_000);
    const fetched = server.requests.filter((url) => url === '/ok.json').length;
    now += 119_000;
    await resolve(`${server.origin}/ok.json`);
    expect(server.requests.filter((url) => url === '/ok.json').length).toBe(fetched);
    now += 2000;
    await resolve(`${server.origin}/ok.json`);
    expect(server.requests.filter((url) => url === '/ok.json').length).toBe(fetched + 1);
  });

  it('[KIT-CIMD-FETCH] does not cache a no-store document, and bounds a long max-age', async () => {
    server.routes.set('/nostore.json', (origin) => ({
      body: document(`${origin}/nostore.json`),
      headers: { 'cache-control': 'no-store' },
    }));
    server.routes.set('/long.json', (origin) => ({
      body: document(`${origin}/long.json`),
      headers: { 'cache-control': 'max-age=31536000' },
    }));
    const { resolve } = resolverFor();
    expect((await resolve(`${server.origin}/nostore.json`)).freshUntil).toBe(1_000_000);
    expect((await resolve(`${server.origin}/long.json`)).freshUntil).toBe(1_000_000 + 86_400_000);
  });

  it('[KIT-CIMD-CLIENT-ID-MATCH] refuses a document whose client_id is not exactly its URL', async () => {
    server.routes.set('/other.json', (origin) => ({ body: document(`${origin}/other.json/`) }));
    expect(await codeOf(resolverFor().resolve(`${server.origin}/other.json`))).toBe('ERR_CIMD_CLIENT_ID_MISMATCH');
  });

  it('[KIT-CIMD-LIMITS] refuses a document that is too large, slow, redirected, not JSON, missing or invalid', async () => {
    server.routes.set('/large.json', (origin) => ({
      body: document(`${origin}/large.json`, { pad: 'x'.repeat(6000) }),
    }));
    server.routes.set('/slow.json', (origin) => ({ body: document(`${origin}/slow.json`), delayMs: 4000 }));
    server.routes.set('/redirect.json', (origin) => ({ status: 302, headers: { location: `${origin}/ok.json` } }));
    server.routes.set('/html.json', { body: '<html></html>', headers: { 'content-type': 'text/html' } });
    server.routes.set('/broken.json', { body: '{"client_id":' });
    server.routes.set('/invalid.json', (origin) => ({
      body: document(`${origin}/invalid.json`, { redirect_uris: 'x' }),
    }));
    const { resolve } = resolverFor(undefined, { timeoutMs: 1500 });
    expect(await codeOf(resolve(`${server.origin}/large.json`))).toBe('ERR_CIMD_TOO_LARGE');
    expect(await codeOf(resolve(`${server.origin}/slow.json`))).toBe('ERR_CIMD_TIMEOUT');
    expect(await codeOf(resolve(`${server.origin}/redirect.json`))).toBe('ERR_CIMD_REDIRECTED');
    expect(await codeOf(resolve(`${server.origin}/html.json`))).toBe('ERR_CIMD_NOT_JSON');
    expect(await codeOf(resolve(`${server.origin}/broken.json`))).toBe('ERR_CIMD_NOT_JSON');
    expect(await codeOf(resolve(`${server.origin}/missing.json`))).toBe('ERR_CIMD_STATUS');
    expect(await codeOf(resolve(`${server.origin}/invalid.json`))).toBe('ERR_CIMD_METADATA_INVALID');
  });

  it('[KIT-CIMD-TLS] refuses a server whose certificate no trusted CA issued', async () => {
    server.routes.set('/ok2.json', (origin) => ({ body: document(`${origin}/ok2.json`) }));
    const code = await codeOf(
      fetchMetadataDocument(new URL(`${server.origin}/ok2.json`), { allowLoopback: true, timeoutMs: 5000 }),
    );
    expect(code).toBe('ERR_CIMD_UNREACHABLE');
  });

  it('[KIT-CIMD-SSRF] refuses private, link-local and (without the opt-out) loopback addresses before connecting', async () => {
    const before = server.requests.length;
    const noLoopback = { allowLoopback: false, ca: certificates.caCert, timeoutMs: 2000 };
    expect(await codeOf(fetchMetadataDocument(new URL(`${server.origin}/ok.json`), noLoopback))).toBe(
      'ERR_CIMD_ADDRESS_REFUSED',
    );
    for (const literal of ['https://10.0.0.7/c.json', 'https://169.254.169.254/c.json', 'https://[fd00::1]/c.json']) {
      expect(await codeOf(fetchMetadataDocument(new URL(literal), noLoopback))).toBe('ERR_CIMD_ADDRESS_REFUSED');
    }
    // A name that resolves to a private address, or to a mix: refused on the resolved addresses, not the name.
    const resolveHost = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '192.168.1.10', family: 4 },
    ];
    expect(
      await codeOf(fetchMetadataDocument(new URL('https://client.example.com/c.json'), { ...noLoopback, resolveHost })),
    ).toBe('ERR_CIMD_ADDRESS_REFUSED');
    expect(server.requests.length).toBe(before);
  });

  it('[KIT-CIMD-SSRF] permits public unicast addresses only (IPv4-mapped and NAT64 forms checked as IPv4)', () => {
    const policy = { allowLoopback: false };
    expect(isPermittedAddress('93.184.215.14', policy)).toBe(true);
    expect(isPermittedAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c', policy)).toBe(true);
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'fe80::1',
      'fc00::1',
      '224.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPermittedAddress(address, policy)).toBe(false);
    }
    expect(isPermittedAddress('127.0.0.1', { allowLoopback: true })).toBe(true);
  });

  it.each([
    ['http://app.example.com/client.json', 'must use https'],
    ['https://app.example.com', 'must contain a path'],
    ['https://app.example.com/', 'must contain a path'],
    ['https://app.example.com/a/../client.json', 'must not contain . or .. path segments'],
    ['https://app.example.com/a/%2E%2E/client.json', 'must not contain . or .. path segments'],
    ['https://app.example.com/client.json#f', 'must not contain a fragment'],
    ['https://user:pw@app.example.com/client.json', 'must not contain a user name or password'],
  ])('[KIT-CIMD-URL] refuses the client_id URL %s', (clientId, why) => {
    expect(() => parseClientIdUrl(clientId)).toThrow(`The client_id URL ${why}.`);
  });
});
