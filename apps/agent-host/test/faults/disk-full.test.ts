/**
 * The agent host on a full disk: `PRAGMA max_page_count` caps its database connection at its current size, so every
 * write that needs one more page fails with SQLITE_FULL exactly as on a full disk. Starting a sign-in stores the
 * login attempt: each start is answered with its redirect to the IdP, or with a 503 page and `Retry-After` that set
 * no cookie (nothing was stored for it), and sign-in works again once space is back, without a restart.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@ema/storage/sqlite';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadAgentHostConfig } from '../../src/config.js';

const ISSUER = 'http://127.0.0.1:9100';
const NO_LIMIT = 1_073_741_823;

/** The IdP's discovery document, served through the injected fetch. */
const fakeIdp = async (input: string | URL): Promise<Response> => {
  if (String(input) !== `${ISSUER}/.well-known/openid-configuration`) return new Response('', { status: 404 });
  return Response.json({
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    jwks_uri: `${ISSUER}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
  });
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('the agent host on a full disk', () => {
  it('[FAULT-DISK-FULL-503] [FAULT-DISK-FULL-NO-PARTIAL-STATE] [FAULT-DISK-FULL-RECOVERY] a sign-in start is a redirect or a 503 page with Retry-After and no cookie, and sign-in works again once space is back', async () => {
    let db: Database | undefined;
    const config = loadAgentHostConfig({
      dataDir: mkdtempSync(join(tmpdir(), 'agent-host-full-')),
      idp: { issuer: ISSUER },
      allowInsecureLoopback: true,
    });
    app = await buildApp(config, { fetch: fakeIdp, logger: false, onDatabaseOpen: (opened) => (db = opened) });
    if (db === undefined) throw new Error('the agent host opened no database');
    const signIn = () => app?.inject({ url: '/auth/signin', headers: { host: 'localhost:3000' } });

    db.pragma('max_page_count = 1');
    let unavailable = 0;
    for (let attempt = 0; attempt < 500 && unavailable === 0; attempt += 1) {
      const response = await signIn();
      expect([302, 503]).toContain(response?.statusCode);
      if (response?.statusCode === 302) {
        expect(response.headers['set-cookie']).toBeDefined();
        continue;
      }
      unavailable += 1;
      expect(response?.headers['retry-after']).toMatch(/^\d+$/);
      expect(response?.headers['set-cookie']).toBeUndefined();
      expect(response?.headers['content-type']).toMatch(/^text\/html/);
      expect(response?.body).toContain('Temporarily unavailable');
      expect(response?.body).not.toMatch(/SQLITE|disk/);
    }
    expect(unavailable).toBe(1);

    db.pragma(`max_page_count = ${NO_LIMIT}`);
    expect((await signIn())?.statusCode).toBe(302);
  });
});
