/**
 * SIGKILL of the IdP mid-load (code redemptions, refresh-token rotations and ID-JAG exchanges, 16 at a time), then a
 * restart on the same data directory. Every request answered 200 before the crash has its durable record: the code
 * consumed, the rotated refresh token marked and its successor stored, the issued ID token recorded, the ID-JAG's
 * allow record; each answered code stays refused, each answered rotation stays final, and each worker's last refresh
 * token still works.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashableApp, startCrashableApp } from '../../src/faults/crashable-app.js';
import { crashPoint, loadUntilCrash } from '../../src/faults/load.js';
import {
  agentTokenRequest,
  authorizeWithSession,
  type CookieJar,
  type IssuedCode,
  redeemCode,
  signInWithPassword,
} from '../../src/faults/oidc-code-flow.js';
import { openReadOnly } from '../../src/faults/read-only-database.js';
import { freePort } from '../../src/free-port.js';

const RAS = 'http://localhost:3200';
const MCP = 'http://localhost:3300/mcp';
const UNLIMITED = String(1_000_000_000);

type Success =
  | { kind: 'code'; issued: IssuedCode; idTokenJti: string; refreshToken: string }
  | { kind: 'refresh'; worker: number; presented: string; issued: string }
  | { kind: 'exchange'; idJagJti: string };

/** The IdP stores opaque secrets by their SHA-256 (base64url), never as they are. */
const storageKey = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

function jtiOf(jwt: unknown): string {
  const payload = JSON.parse(Buffer.from(String(jwt).split('.')[1] ?? '', 'base64url').toString()) as { jti: string };
  return payload.jti;
}

describe('SIGKILL of the IdP', () => {
  let idp: CrashableApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ema-fault-idp-'));
    const port = await freePort();
    idp = await startCrashableApp('idp', {
      port,
      env: {
        IDP_HOST: '127.0.0.1',
        IDP_ISSUER: `http://127.0.0.1:${port}`,
        IDP_DATA_DIR: dataDir,
        IDP_LOG_LEVEL: 'warn',
        IDP_DEMO_RAS_ISSUER: RAS,
        IDP_DEMO_MCP_RESOURCE: MCP,
        IDP_TOKEN_RATE_LIMIT_PER_ADDRESS: UNLIMITED,
        IDP_TOKEN_RATE_LIMIT_PER_CLIENT: UNLIMITED,
      },
    });
  }, 90_000);
  afterAll(async () => {
    await idp?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('[FAULT-SIGKILL-DURABLE] [FAULT-SIGKILL-REPLAY-REFUSED] every code redemption, refresh rotation and exchange answered before the crash is durable, and stays final after the restart', async () => {
    const jar: CookieJar = new Map();
    const first = await redeemCode(idp.url, await signInWithPassword(idp.url, jar, 'alice', 'alice-password'));
    expect(first.status).toBe(200);
    const idToken = String(first.body.id_token);
    // Each worker keeps its own refresh-token family, from a code flow of its own.
    const refreshTokens: string[] = [];
    for (let worker = 0; worker < 16; worker += 1) {
      const issued = await redeemCode(idp.url, await authorizeWithSession(idp.url, jar));
      refreshTokens.push(String(issued.body.refresh_token));
    }
    const turns = new Array<number>(16).fill(0);

    const load = await loadUntilCrash<Success>({
      concurrency: 16,
      crashAfter: crashPoint('idp', 30, 150),
      crash: () => idp.crash(),
      request: async (worker) => {
        const turn = turns[worker] ?? 0;
        turns[worker] = turn + 1;
        if (turn % 3 === 0) {
          const issued: IssuedCode = await authorizeWithSession(idp.url, jar);
          const { status, body } = await redeemCode(idp.url, issued);
          if (status !== 200) return undefined;
          return {
            kind: 'code',
            issued,
            idTokenJti: jtiOf(body.id_token),
            refreshToken: String(body.refresh_token),
          };
        }
        if (turn % 3 === 1) {
          const presented = refreshTokens[worker] ?? '';
          const { status, body } = await agentTokenRequest(idp.url, {
            grant_type: 'refresh_token',
            refresh_token: presented,
          });
          if (status !== 200) return undefined;
          refreshTokens[worker] = String(body.refresh_token);
          return { kind: 'refresh', worker, presented, issued: String(body.refresh_token) };
        }
        const { status, body } = await agentTokenRequest(idp.url, {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          requested_token_type: 'urn:ietf:params:oauth:token-type:id-jag',
          subject_token: idToken,
          subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
          audience: RAS,
          resource: MCP,
          scope: 'tickets.read',
        });
        return status === 200 ? { kind: 'exchange', idJagJti: jtiOf(body.access_token) } : undefined;
      },
    });
    expect(load.refused).toBe(0);
    const kinds = new Set(load.succeeded.map((success) => success.kind));
    expect([...kinds].sort()).toEqual(['code', 'exchange', 'refresh']);

    await idp.restart();
    const db = openReadOnly(join(dataDir, 'idp.sqlite'));
    try {
      const code = db.prepare<[string], { consumed_at: number | null }>(
        'SELECT consumed_at FROM authorization_codes WHERE code_hash = ?',
      );
      const refresh = db.prepare<[string], { rotated_at: number | null }>(
        'SELECT rotated_at FROM refresh_tokens WHERE token_hash = ?',
      );
      const idTokenRecord = db.prepare<[string], { jti: string }>('SELECT jti FROM id_tokens WHERE jti = ?');
      const audited = db.prepare<[string, string, string], { id: number }>(
        'SELECT id FROM audit_log WHERE type = ? AND outcome = ? AND jti = ?',
      );
      for (const success of load.succeeded) {
        if (success.kind === 'code') {
          const stored = code.get(storageKey(success.issued.code));
          expect(stored, 'code stored').toBeDefined();
          expect(stored?.consumed_at, 'code consumed').not.toBeNull();
          expect(refresh.get(storageKey(success.refreshToken)), 'refresh token stored').toBeDefined();
          expect(idTokenRecord.get(success.idTokenJti), 'ID token recorded').toBeDefined();
          expect(audited.get('token.issued', 'success', success.idTokenJti), 'issuance audited').toBeDefined();
        } else if (success.kind === 'refresh') {
          expect(refresh.get(storageKey(success.presented))?.rotated_at, 'presented token rotated').toBeGreaterThan(0);
          expect(refresh.get(storageKey(success.issued)), 'successor stored').toBeDefined();
        } else {
          expect(audited.get('id_jag.exchange', 'allow', success.idJagJti), 'exchange audited').toBeDefined();
        }
      }
    } finally {
      db.close();
    }

    // Through the API: each worker's last answered refresh token works (the rotation before it is durable) ...
    const lastIssued = new Map<number, string>();
    for (const success of load.succeeded)
      if (success.kind === 'refresh') lastIssued.set(success.worker, success.issued);
    for (const token of lastIssued.values()) {
      expect((await agentTokenRequest(idp.url, { grant_type: 'refresh_token', refresh_token: token })).status).toBe(
        200,
      );
    }
    // ... and each answered code is single use still: the very same request is a replay now.
    for (const success of load.succeeded.slice(0, 30)) {
      if (success.kind !== 'code') continue;
      const replay = await redeemCode(idp.url, success.issued);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
    }
  }, 300_000);
});
