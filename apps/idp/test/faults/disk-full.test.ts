/**
 * The IdP on a full disk: `PRAGMA max_page_count` caps its database connection at its current size, so every write
 * that needs one more page fails with SQLITE_FULL exactly as on a full disk. Each token request is answered 200 or
 * `503 temporarily_unavailable` with `Retry-After`; a 503 left nothing behind (the code, the refresh token and the
 * ID token are still usable), and the same requests succeed once space is back, without a restart.
 */
import { ID_JAG_EXCHANGE_AUDIT_TYPE } from '@ema/oauth-server';
import type { Database } from '@ema/storage/sqlite';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type IdpApp } from '../../src/app.js';
import { loadIdpConfig } from '../../src/config.js';
import { hashOpaqueToken } from '../../src/tokens/opaque-token.js';
import { authorizationParams, authorize, CookieJar, redeemCode, tokensFor } from '../support/browser.js';
import { ISSUER, idJagRequest, postToken, tempDataDir, testClock } from '../support/test-app.js';

const NO_LIMIT = 1_073_741_823;
const UNAVAILABLE = {
  error: 'temporarily_unavailable',
  error_description: 'the server cannot store this request now; retry later',
};

let app: IdpApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(): Promise<{ idp: IdpApp; db: Database }> {
  let opened: Database | undefined;
  const config = loadIdpConfig({
    issuer: ISSUER,
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    passwordHashCost: 14,
  });
  app = await buildApp(config, { now: testClock().now, onDatabaseOpen: (db) => (opened = db) });
  if (opened === undefined) throw new Error('the IdP opened no database');
  return { idp: app, db: opened };
}

/** Every answer on a full disk is a success or the designed 503, never a 500. */
function expectSuccessOr503(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect([200, 503]).toContain(response.statusCode);
  if (response.statusCode === 503) {
    expect(response.json()).toEqual(UNAVAILABLE);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.headers['cache-control']).toBe('no-store');
  }
}

describe('the IdP on a full disk', () => {
  it('[FAULT-DISK-FULL-503] [FAULT-DISK-FULL-NO-PARTIAL-STATE] [FAULT-DISK-FULL-RECOVERY] answers code, refresh and exchange requests 200 or 503, keeps nothing of a 503, and serves the same requests once space is back', async () => {
    const { idp, db } = await start();
    const jar = new CookieJar();
    const signedIn = await tokensFor(idp, 'alice');
    for (const [name, value] of signedIn.jar.cookies) jar.cookies.set(name, value);
    const idToken = signedIn.id_token;
    let refreshToken = String(signedIn.refresh_token);
    // Codes issued before the disk fills (the authorization endpoint then has no room for new ones).
    const codes: { code: string; verifier: string; params: Record<string, string> }[] = [];
    for (let index = 0; index < 6; index += 1) {
      const { params, verifier } = authorizationParams();
      const location = new URL(String((await authorize(idp, jar, params)).headers.location));
      codes.push({ code: location.searchParams.get('code') ?? '', verifier, params });
    }

    db.pragma('max_page_count = 1');
    const refused = { exchange: 0, code: [] as typeof codes, refresh: [] as string[] };
    const issuedIdJagJtis: string[] = [];
    const redeemed: typeof codes = [];
    for (let round = 0; round < 400; round += 1) {
      const exchanged = await postToken(idp, idJagRequest(idToken));
      expectSuccessOr503(exchanged);
      if (exchanged.statusCode === 200) issuedIdJagJtis.push(String(decodeJwt(exchanged.json().access_token).jti));
      else refused.exchange += 1;

      const presented = refreshToken;
      const refreshed = await postToken(idp, { grant_type: 'refresh_token', refresh_token: presented });
      expectSuccessOr503(refreshed);
      if (refreshed.statusCode === 200) {
        refreshToken = refreshed.json().refresh_token;
        // Durable: the presented token is rotated and its successor stored.
        expect(idp.idp.storage.findRefreshToken(hashOpaqueToken(presented))?.rotatedAt).not.toBeNull();
        expect(idp.idp.storage.findRefreshToken(hashOpaqueToken(refreshToken))?.rotatedAt).toBeNull();
      } else {
        // Nothing of the refused request was kept: the presented token was not rotated (a retry is not reuse).
        expect(idp.idp.storage.findRefreshToken(hashOpaqueToken(presented))?.rotatedAt).toBeNull();
        refused.refresh.push(presented);
      }

      const pending = codes.shift();
      if (pending !== undefined) {
        const response = await redeemCode(idp, pending.code, pending.verifier);
        expectSuccessOr503(response);
        const stored = idp.idp.storage.findAuthorizationCode(hashOpaqueToken(pending.code));
        if (response.statusCode === 200) {
          redeemed.push(pending);
          expect(stored?.consumedAt).not.toBeNull();
        } else {
          // Not consumed: the same redemption succeeds later instead of counting as a replay.
          expect(stored?.consumedAt).toBeNull();
          refused.code.push(pending);
        }
      }
      if (refused.exchange > 0 && refused.refresh.length > 0 && refused.code.length > 0 && round > 20) break;
    }
    expect(refused.exchange).toBeGreaterThan(0);
    expect(refused.refresh.length).toBeGreaterThan(0);
    expect(refused.code.length).toBeGreaterThan(0);
    // Each ID-JAG that was sent has its allow record; a refused exchange left none.
    const allowed = idp.idp.audit.query({ type: ID_JAG_EXCHANGE_AUDIT_TYPE, outcome: 'allow', limit: 1000 });
    expect(allowed.map((record) => record.jti).sort()).toEqual([...issuedIdJagJtis].sort());

    // Space comes back: the very requests that were refused now succeed, with no restart.
    db.pragma(`max_page_count = ${NO_LIMIT}`);
    expect((await postToken(idp, idJagRequest(idToken))).statusCode).toBe(200);
    const retriedRefresh = await postToken(idp, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(retriedRefresh.statusCode).toBe(200);
    for (const pending of refused.code) {
      expect((await redeemCode(idp, pending.code, pending.verifier)).statusCode).toBe(200);
    }
  }, 60_000);
});
