import { mintSecurityEventToken } from '@ema/jwt';
import type { SecurityEventTokenClaims } from '@ema/protocol';
import { accountDisabled, type SecurityEvent, sessionRevoked, tokenRevoked, unsignedClaims } from '@ema/shared-signals';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  auditRecords,
  INITIALIZE,
  mcpHeaders,
  type RunningServer,
  startServer,
  tempDataDir,
} from '../support/server.js';
import { createTestKey, mintToken, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

let ras: TestKey;
let impostor: TestKey;
let server: RunningServer | undefined;
let jtis = 0;

beforeAll(async () => {
  ras = await createTestKey();
  impostor = await createTestKey(ras.signer.kid);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const now = () => Math.floor(Date.now() / 1000);

async function set(
  event: SecurityEvent,
  overrides: Partial<SecurityEventTokenClaims> = {},
  key = ras,
): Promise<string> {
  jtis += 1;
  const jti = `set-${jtis}`;
  const claims = unsignedClaims(event, { issuer: RAS_ISSUER, audience: RESOURCE, jti, txn: jti });
  return mintSecurityEventToken({ ...claims, iat: now(), ...overrides }, key.signer);
}

async function push(running: RunningServer, body: string, contentType = 'application/secevent+jwt') {
  const response = await fetch(new URL('/ssf/events', running.origin), {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as { err: string }) };
}

/** A tools/call-free authenticated request: `initialize` with the token. */
async function call(running: RunningServer, token: string) {
  const response = await fetch(running.url, {
    method: 'POST',
    headers: mcpHeaders({ authorization: `Bearer ${token}` }),
    body: JSON.stringify(INITIALIZE),
  });
  await response.body?.cancel();
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate') ?? '',
    session: response.headers.get('mcp-session-id'),
  };
}

const alice = (sub = 'alice') => ({ iss: RAS_ISSUER, sub });

describe('the MCP server acts on the revocations its RAS pushes', () => {
  it('[MCP-REVOCATION-REFUSED] [MCP-REVOCATION-SESSIONS] refuses a disabled user’s tokens from then on, says "revoked", closes their sessions, audits it', async () => {
    server = await startServer(ras.keys);
    const token = await mintToken(ras, { iat: now() - 5 });
    const bobToken = await mintToken(ras, { sub: 'bob', iat: now() - 5 });
    const opened = await call(server, token);
    expect(opened.status).toBe(200);
    expect(opened.session).not.toBeNull();

    const answer = await push(server, await set(accountDisabled({ user: alice(), occurredAt: now() })));
    expect(answer.status).toBe(202);

    const refused = await call(server, token);
    expect(refused.status).toBe(401);
    expect(refused.challenge).toContain('error="invalid_token"');
    expect(refused.challenge).toContain('error_description="The access token was revoked"');
    // Subject isolation: Bob goes on.
    expect((await call(server, bobToken)).status).toBe(200);
    // A token issued after the cut-off (a new sign-in, re-enabled) is fine.
    expect((await call(server, await mintToken(ras, { iat: now() + 2 }))).status).toBe(200);
    expect(auditRecords(server.dataDir, 'mcp.revocation')[0]).toMatchObject({
      outcome: 'success',
      reason: 'subject',
      subject: 'alice',
      details: { sessions_closed: 1 },
    });
  });

  it('[MCP-REVOCATION-LIST] one token by jti, and one IdP session by sid, each without touching the rest', async () => {
    server = await startServer(ras.keys);
    const revoked = await mintToken(ras, { jti: 'at-revoked' });
    const kept = await mintToken(ras, { jti: 'at-kept' });
    const inSession = await mintToken(ras, { sub: 'carol', sid: 'sid-1', iat: now() - 1 });
    const otherSession = await mintToken(ras, { sub: 'carol', sid: 'sid-2', iat: now() - 1 });
    const token = tokenRevoked({ issuer: RAS_ISSUER, jti: 'at-revoked', expiresAt: now() + 900, occurredAt: now() });
    expect((await push(server, await set(token))).status).toBe(202);
    const session = sessionRevoked({
      user: alice('carol'),
      sessionId: 'sid-1',
      occurredAt: now(),
      initiatingEntity: 'user',
    });
    expect((await push(server, await set(session))).status).toBe(202);
    expect((await call(server, revoked)).status).toBe(401);
    expect((await call(server, kept)).status).toBe(200);
    expect((await call(server, inSession)).status).toBe(401);
    expect((await call(server, otherSession)).status).toBe(200);
  });

  it('[MCP-REVOCATION-PERSISTED] a restart keeps every revocation', async () => {
    const dataDir = tempDataDir();
    server = await startServer(ras.keys, { dataDir });
    const token = await mintToken(ras, { iat: now() - 5 });
    expect((await push(server, await set(accountDisabled({ user: alice(), occurredAt: now() })))).status).toBe(202);
    await server.close();
    server = await startServer(ras.keys, { dataDir });
    expect((await call(server, token)).status).toBe(401);
  });

  it('[MCP-REVOCATION-NOTHING-CHANGES] unsigned, wrongly signed, foreign, misaddressed, stale and replayed SETs are refused; nothing changes', async () => {
    server = await startServer(ras.keys);
    const token = await mintToken(ras, { iat: now() - 5 });
    const event = accountDisabled({ user: alice(), occurredAt: now() });
    const good = await set(event);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const cases: [string, string, string?][] = [
      [`${encode({ alg: 'none', typ: 'secevent+jwt', kid: ras.signer.kid })}.${good.split('.')[1]}.`, 'invalid_key'],
      [await set(event, {}, impostor), 'invalid_key'],
      [await set(event, { iss: 'http://localhost:9999' }), 'invalid_issuer'],
      [await set(event, { aud: 'http://localhost:3300/other' }), 'invalid_audience'],
      [await set(event, { iat: now() - 3600 }), 'invalid_request'],
      [good, 'invalid_request', 'application/json'],
    ];
    for (const [body, err, contentType] of cases) {
      const answer = await push(server, body, contentType);
      expect(answer, err).toMatchObject({ status: 400, body: { err } });
    }
    expect((await call(server, token)).status).toBe(200);
    expect((await push(server, good)).status).toBe(202);
    expect(await push(server, good)).toMatchObject({ status: 400, body: { err: 'invalid_request' } });
  });
});
