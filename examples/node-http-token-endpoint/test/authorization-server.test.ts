/**
 * The example against the real IdP of this repository, everything over HTTP on ephemeral ports: alice signs in at the
 * IdP, trades her ID token for an ID-JAG for the example's issuer, and redeems it at the example's token endpoint.
 */
import { createRemoteJwks, verifyAccessToken } from '@ema/jwt';
import type { AuditEvent } from '@ema/oauth-server';
import {
  GRANT_PROFILE_ID_JAG,
  GRANT_TYPE_JWT_BEARER,
  MEDIA_TYPE_FORM,
  MEDIA_TYPE_JWK_SET,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
} from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizationServer } from '../src/authorization-server.js';
import { loadConfig } from '../src/config.js';
import { type RunningIdp, startIdp } from './support/idp.js';
import { basic, exchangeForIdJag, signIn } from './support/idp-session.js';
import { type EphemeralServer, listenOnEphemeralPort } from './support/listen.js';

const RESOURCE = 'http://localhost:3300/mcp';
const CLIENT_ID = 'acme-agent-host';
const CLIENT_SECRET = 'node-http-example-test-secret';
// Reading: a password sign-in is enough under the demo policy (writing asks for a passkey).
const SCOPES = 'tickets.read';

/** An example instance with its audit records. */
interface Example {
  http: EphemeralServer;
  audit: AuditEvent[];
}

describe('the node:http token endpoint, against the IdP of this repository', () => {
  let idp: RunningIdp;
  let example: Example;
  // A second authorization server trusting the same IdP: ID-JAGs minted for the first are not for it.
  let other: Example;

  const start = async (http: EphemeralServer): Promise<Example> => {
    const audit: AuditEvent[] = [];
    const config = loadConfig({
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      TOKEN_ENDPOINT_ISSUER: http.origin,
      TOKEN_ENDPOINT_IDP_ISSUER: idp.issuer,
      TOKEN_ENDPOINT_RESOURCE: RESOURCE,
      TOKEN_ENDPOINT_CLIENT_SECRET: CLIENT_SECRET,
    });
    http.handle(
      await createAuthorizationServer(config, { writeAuditLine: (line) => audit.push(JSON.parse(line) as AuditEvent) }),
    );
    return { http, audit };
  };

  beforeAll(async () => {
    const exampleHttp = await listenOnEphemeralPort();
    const otherHttp = await listenOnEphemeralPort();
    idp = await startIdp({ rasIssuer: exampleHttp.origin, mcpResource: RESOURCE });
    example = await start(exampleHttp);
    other = await start(otherHttp);
  });
  afterAll(async () => {
    await example?.http.close();
    await other?.http.close();
    await idp?.close();
  });

  /** A fresh ID-JAG for `username`, minted by the IdP for the example (its demo world's authorization server). */
  const idJagFor = async (username: string): Promise<string> => {
    const exchange = await exchangeForIdJag(idp.issuer, await signIn(idp.issuer, username), {
      audience: example.http.origin,
      resource: RESOURCE,
      scope: SCOPES,
    });
    expect(exchange.status).toBe(200);
    const { access_token: idJag } = (await exchange.json()) as { access_token: string };
    return idJag;
  };

  const redeem = (at: Example, assertion: string, secret = CLIENT_SECRET): Promise<Response> =>
    fetch(`${at.http.origin}/token`, {
      method: 'POST',
      headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(CLIENT_ID, secret) },
      body: new URLSearchParams({ grant_type: GRANT_TYPE_JWT_BEARER, assertion }),
    });

  it('[RAS-RFC8414-METADATA] [RAS-IDJAG-6.1-GRANT-PROFILE] advertises the jwt-bearer grant and the ID-JAG profile', async () => {
    const origin = example.http.origin;
    const response = await fetch(`${origin}${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      issuer: origin,
      token_endpoint: `${origin}/token`,
      jwks_uri: `${origin}/jwks`,
      grant_types_supported: [GRANT_TYPE_JWT_BEARER],
      authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      response_types_supported: [],
      scopes_supported: ['tickets.read', 'tickets.write'],
    });
    const jwks = await fetch(`${origin}/jwks`);
    expect(jwks.headers.get('content-type')).toBe(MEDIA_TYPE_JWK_SET);
    const { keys } = (await jwks.json()) as { keys: Array<Record<string, unknown>> };
    // The current key and the pre-published next key; public halves only (RFC 7517 §5).
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).not.toHaveProperty('d');
  });

  it('[EXAMPLE-NODE-HTTP-REDEEMS-ID-JAG] [RAS-RFC7523-3-JTI-SINGLE-USE] redeems alice’s ID-JAG once for an access token verifiable with its JWKS', async () => {
    const idJag = await idJagFor('alice');
    const response = await redeem(example, idJag);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: SCOPES,
    });

    const { claims } = await verifyAccessToken(String(body.access_token), {
      issuer: example.http.origin,
      audience: RESOURCE,
      keys: createRemoteJwks(`${example.http.origin}/jwks`),
      algorithms: ['ES256'],
    });
    expect(claims).toMatchObject({
      aud: RESOURCE,
      client_id: CLIENT_ID,
      scope: SCOPES,
      email: 'alice@acme.example',
      id_jag_iss: idp.issuer,
    });
    expect(claims.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(example.audit.at(-1)).toMatchObject({ outcome: 'allow', clientId: CLIENT_ID, resource: RESOURCE });

    // The same ID-JAG again: the bare invalid_grant, the precise reason in the audit log only.
    const replay = await redeem(example, idJag);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toBe('{"error":"invalid_grant"}');
    expect(example.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_ID_JAG_REPLAYED' });
  });

  it('[RAS-IDJAG-4.4.1-CLIENT-AUTH] [RAS-IDJAG-4.4.1-CONSUME-LAST] refuses a wrong client secret with 401 invalid_client, leaving the ID-JAG unspent', async () => {
    const idJag = await idJagFor('alice');
    const refused = await redeem(example, idJag, 'not-the-client-secret');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(refused.headers.get('www-authenticate')).toBe(`Basic realm="${example.http.origin}"`);
    expect(example.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'invalid_client' });
    expect((await redeem(example, idJag)).status).toBe(200);
  });

  it('[RAS-IDJAG-4.4.1-AUD-EXACT] refuses an ID-JAG minted for another authorization server with invalid_grant', async () => {
    const idJag = await idJagFor('alice');
    const refused = await redeem(other, idJag);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('{"error":"invalid_grant"}');
    expect(other.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_JWT_AUD_MISMATCH' });
    // Its rightful audience still accepts it.
    expect((await redeem(example, idJag)).status).toBe(200);
  });

  it('answers anything that is not a token request with an OAuth error body and no-store, never a crash', async () => {
    const origin = example.http.origin;
    const answers = await Promise.all([
      fetch(`${origin}/token`),
      fetch(`${origin}/token`, {
        method: 'POST',
        headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(CLIENT_ID, CLIENT_SECRET) },
        body: `grant_type=${encodeURIComponent(GRANT_TYPE_JWT_BEARER)}&assertion=${'a'.repeat(70_000)}`,
      }),
      fetch(`${origin}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      fetch(`${origin}${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}`, { method: 'POST' }),
      fetch(`${origin}/nowhere`),
    ]);
    expect(answers.map((answer) => [answer.status, answer.headers.get('cache-control')])).toEqual([
      [405, 'no-store'],
      [400, 'no-store'],
      [400, 'no-store'],
      [405, 'no-store'],
      [404, 'no-store'],
    ]);
    expect(answers[0]?.headers.get('allow')).toBe('POST');
    for (const answer of answers) expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('[IDP-EMA-POLICY-DENY] gives carol, whom the IdP policy denies, no ID-JAG to redeem at all', async () => {
    const exchange = await exchangeForIdJag(idp.issuer, await signIn(idp.issuer, 'carol'), {
      audience: example.http.origin,
      resource: RESOURCE,
      scope: SCOPES,
    });
    expect(exchange.status).toBe(400);
    const body = (await exchange.json()) as Record<string, unknown>;
    expect(body.error).toBe('invalid_target');
    expect(body).not.toHaveProperty('access_token');
  });
});
