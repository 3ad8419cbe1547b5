import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashClientSecret } from '@ema/oauth-server';
import { GRANT_TYPE_TOKEN_EXCHANGE, MEDIA_TYPE_FORM, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { buildApp, type IdpApp } from '../../src/app.js';
import { type IdpConfigInput, loadIdpConfig } from '../../src/config.js';

export const ISSUER = 'http://localhost:3100';
export const RAS = 'http://localhost:3200';
export const MCP = 'http://localhost:3300/mcp';
export const REDIRECT_URI = 'http://localhost:3000/auth/callback';
export const AGENT = { id: 'agent-host', secret: 'agent-host-dev-secret' };
export const OTHER = { id: 'other-agent', secret: 'other-agent-secret' };
/** Frozen start time (ms). */
export const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);

/** A controllable clock in epoch milliseconds. */
export interface TestClock {
  now: () => number;
  advance(seconds: number): void;
}

export function testClock(start = T0): TestClock {
  let current = start;
  return { now: () => current, advance: (seconds) => (current += seconds * 1000) };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'idp-test-'));
}

/** Builds the IdP on a temporary data dir with the demo world, a frozen clock and a cheap (but valid) scrypt cost. */
export async function startIdp(options: { config?: IdpConfigInput; clock?: TestClock; dataDir?: string } = {}) {
  const clock = options.clock ?? testClock();
  const config = loadIdpConfig({
    issuer: ISSUER,
    dataDir: options.dataDir ?? tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    passwordHashCost: 14,
    adminApiToken: 'test-admin-api-token-0123456789abcdef',
    ...options.config,
  });
  const app: IdpApp = await buildApp(config, { now: clock.now });
  return { app, clock, config };
}

/** Registers a second confidential client (allowed ID-JAGs, known at the RAS) directly in storage. */
export function addOtherClient(app: IdpApp): void {
  app.idp.storage.insertClient({
    clientId: OTHER.id,
    secretHash: hashClientSecret(OTHER.secret),
    name: 'Other agent',
    redirectUris: ['http://localhost:4000/callback'],
    postLogoutRedirectUris: [],
    mayRequestIdJag: true,
    rasClientIds: { [RAS]: 'other-at-ras' },
    createdAt: 0,
  });
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** A token request as the agent host sends it: form parameters, its client secret in HTTP Basic. */
export function postToken(app: IdpApp, params: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: { authorization: basic(AGENT.id, AGENT.secret), 'content-type': MEDIA_TYPE_FORM },
    payload: form(params),
  });
}

/**
 * The agent host's ID-JAG request (RFC 8693, ID-JAG §4.3): an ID token for an ID-JAG to the RAS, for the MCP server,
 * with `tickets.read` (a password sign-in is enough for it under the demo policy); `overrides` changes any of it.
 */
export function idJagRequest(subjectToken: string, overrides: Record<string, string> = {}) {
  return {
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    subject_token: subjectToken,
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
    audience: RAS,
    resource: MCP,
    scope: 'tickets.read',
    ...overrides,
  };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
