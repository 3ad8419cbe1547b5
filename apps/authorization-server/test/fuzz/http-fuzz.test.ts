/**
 * HTTP fuzzing of the RAS: random methods, paths, parameters, headers, cookies and bodies against every route it
 * registers (its own route tree), with real credentials mixed in (the demo client's secret, the admin API token, a
 * valid ID-JAG, an access token it issued, the IdP's push credential and a Security Event signed by the IdP) so the
 * requests reach past authentication. No answer may be a 5xx, and the RAS must still redeem an ID-JAG afterwards.
 */

import { fuzzSettings, runHttpFuzz } from '@ema/http-fuzz';
import { APP_STORES } from '@ema/postgres-server/test-database';
import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { accountDisabled } from '@ema/shared-signals';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { ADMIN_TOKEN, basic, redeem, TestClock, tempDataDir } from '../support/ras.js';
import { type TestTransmitter, TRANSMITTER_TOKEN, testTransmitter } from '../support/ssf-transmitter.js';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, RAS_ISSUER, RESOURCE, TestIdp } from '../support/test-idp.js';

const UNLIMITED = 1_000_000_000;

describe.each(APP_STORES)('the RAS under HTTP fuzzing on $name', (store) => {
  let app: FastifyInstance;
  let idp: TestIdp;
  let clock: TestClock;
  let transmitter: TestTransmitter;
  beforeAll(async () => {
    idp = await TestIdp.create();
    clock = new TestClock();
    transmitter = testTransmitter(idp, clock.now);
    const databaseUrl = await store.databaseUrl('ras_fuzz');
    const config = loadRasConfig({
      dataDir: tempDataDir(),
      ...(databaseUrl === undefined ? {} : { databaseUrl }),
      allowInsecureLoopback: true,
      logLevel: 'silent',
      adminApiToken: ADMIN_TOKEN,
      ssfTransmitterToken: TRANSMITTER_TOKEN,
      tokenRateLimitPerAddress: UNLIMITED,
      tokenRateLimitPerClient: UNLIMITED,
      adminRateLimitPerAddress: UNLIMITED,
    });
    app = await buildApp(config, { fetch: transmitter.fetch, now: clock.now });
    // The RAS registers its stream at the IdP at boot; the push credential is then known.
    const deadline = Date.now() + 5000;
    while (transmitter.stream() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Building the app takes seconds on a loaded machine.
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('[FUZZ-NO-5XX] [FUZZ-HEALTHY-AFTER] answers every random request to every route below 500, and redeems an ID-JAG afterwards', async () => {
    const assertion = await idp.mint(clock.seconds);
    const redeemed = await redeem(app, await idp.mint(clock.seconds));
    const accessToken = redeemed.json<{ access_token: string }>().access_token;
    // Bob is cut off by the event in the dictionary; Alice, whose ID-JAG is redeemed afterwards, is left alone.
    const event = await transmitter.set(
      accountDisabled({ user: { iss: IDP_ISSUER, sub: 'idp-user-bob' }, occurredAt: clock.seconds }),
      'set-fuzz',
      clock.seconds,
    );
    const ids = ['bob', 'idp-user-bob', 'other-client', 'no-such-id', '0', '-1', IDP_ISSUER, 'stream-1'];
    const report = await runHttpFuzz(app, {
      name: 'ras',
      ...fuzzSettings(2500),
      dictionary: {
        origin: RAS_ISSUER,
        parameterNames: [
          ...['grant_type', 'assertion', 'client_id', 'client_secret', 'scope', 'resource', 'token', 'token_type_hint'],
          ...['code', 'redirect_uri', 'code_verifier', 'refresh_token', 'response_type', 'state', 'code_challenge'],
          ...['code_challenge_method', 'csrf_token', 'decision', 'iss', 'sub', 'issuer', 'jwksUri', 'algorithms'],
          ...['clientId', 'name', 'secret', 'scopes', 'resources', 'redirect_uris', 'client_name', 'type', 'limit'],
          ...['subject', 'email', 'disabled', 'before', 'since', 'stream_id', 'events_requested', 'delivery'],
        ],
        values: [
          ...[GRANT_TYPE_JWT_BEARER, 'authorization_code', 'refresh_token', 'client_credentials', 'code', 'S256'],
          ...[assertion, accessToken, event, CLIENT_ID, CLIENT_SECRET, RESOURCE, IDP_ISSUER, RAS_ISSUER],
          ...['tickets.read', 'tickets.read tickets.write', 'access_token', 'allow', 'deny', 'ES256', 'true'],
          ...ids,
        ],
        authorizations: [
          basic(CLIENT_ID, CLIENT_SECRET),
          `Bearer ${ADMIN_TOKEN}`,
          `Bearer ${accessToken}`,
          transmitter.stream()?.authorization ?? `Bearer ${TRANSMITTER_TOKEN}`,
        ],
        headers: { 'content-type': ['application/secevent+jwt'] },
        pathValues: ids,
      },
    });
    expect(report.numRuns).toBeGreaterThan(0);

    expect((await app.inject({ url: '/healthz', headers: { host: new URL(RAS_ISSUER).host } })).statusCode).toBe(200);
    const after = await redeem(app, await idp.mint(clock.seconds));
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ token_type: 'Bearer', scope: expect.any(String) });
  }, 300_000);
});
