import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp as buildIdp } from '@ema/idp/app';
import { loadIdpConfig } from '@ema/idp/config';
import { decodeUnverified } from '@ema/jwt';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadRasConfig } from '../../src/config.js';
import { exchangeForIdJag, fetchVia, signIn } from '../support/idp-session.js';
import { redeem, TestClock } from '../support/ras.js';
import { IDP_ISSUER, RAS_ISSUER, RESOURCE } from '../support/test-idp.js';

describe('integration with the IdP of this repository', () => {
  const clock = new TestClock();
  let idp: FastifyInstance;
  let ras: FastifyInstance;

  beforeAll(async () => {
    idp = await buildIdp(
      loadIdpConfig({
        issuer: IDP_ISSUER,
        dataDir: mkdtempSync(join(tmpdir(), 'ras-it-idp-')),
        allowInsecureLoopback: true,
        logLevel: 'silent',
        passwordHashCost: 14,
      }),
      { now: clock.now },
    );
    // The RAS's defaults (trusted IdP http://localhost:3100 and its jwks_uri) are the IdP's real values.
    ras = await buildApp(
      loadRasConfig({
        dataDir: mkdtempSync(join(tmpdir(), 'ras-it-')),
        allowInsecureLoopback: true,
        logLevel: 'silent',
      }),
      { fetch: fetchVia(idp, IDP_ISSUER), now: clock.now },
    );
  });
  afterAll(async () => {
    await ras?.close();
    await idp?.close();
  });

  it('[RAS-INTEGRATION-IDP-ID-JAG] redeems an ID-JAG the IdP minted by token exchange, exactly once', async () => {
    const idToken = await signIn(idp, 'alice');
    // A password sign-in: the demo policy grants alice reading (writing would need a passkey step-up).
    const exchange = await exchangeForIdJag(idp, idToken, {
      audience: RAS_ISSUER,
      resource: RESOURCE,
      scope: 'tickets.read',
    });
    expect(exchange.statusCode).toBe(200);
    const idJag = exchange.json<{ access_token: string }>().access_token;

    const response = await redeem(ras, idJag);
    expect(response.statusCode).toBe(200);
    const body = response.json<{ access_token: string; scope: string; token_type: string }>();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'tickets.read', expires_in: 900 });
    const idJagClaims = decodeUnverified(idJag)?.claims;
    expect(decodeUnverified(body.access_token)?.claims).toMatchObject({
      iss: RAS_ISSUER,
      aud: RESOURCE,
      client_id: 'acme-agent-host',
      email: 'alice@acme.example',
      id_jag_iss: IDP_ISSUER,
      id_jag_jti: idJagClaims?.jti,
      acr: idJagClaims?.acr,
      amr: ['pwd'],
    });

    const replay = await redeem(ras, idJag);
    expect(replay.json()).toEqual({ error: 'invalid_grant' });
  });

  it('[RAS-INTEGRATION-IDP-ID-JAG] carries the IdP policy through: sales gets tickets.read only', async () => {
    const idToken = await signIn(idp, 'bob');
    const exchange = await exchangeForIdJag(idp, idToken, {
      audience: RAS_ISSUER,
      resource: RESOURCE,
      scope: 'tickets.read tickets.write',
    });
    expect(exchange.statusCode).toBe(200);
    const response = await redeem(ras, exchange.json<{ access_token: string }>().access_token, [
      ['scope', 'tickets.read tickets.write'],
    ]);
    expect(response.json()).toMatchObject({ scope: 'tickets.read' });
  });
});
