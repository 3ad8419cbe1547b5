/**
 * HTTP fuzzing of the agent host: random methods, paths, parameters, headers, cookies and bodies against every route
 * it registers (its own route tree), with signed-in sessions and their form tokens in the dictionary so the requests
 * reach past the session check. Its IdP answers discovery only and its MCP server is unreachable (the injected
 * fetch), so every action ends in a refusal path of its own. No answer may be a 5xx, and the agent host must still
 * start a sign-in afterwards.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzSettings, runHttpFuzz } from '@ema/http-fuzz';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadAgentHostConfig } from '../../src/config.js';

const ISSUER = 'http://127.0.0.1:9100';
const ORIGIN = 'http://localhost:3000';
// Port 9 (discard) on loopback: were the injected fetch ever bypassed, the connection would be refused at once.
const MCP = 'http://127.0.0.1:9/mcp';

/** The IdP's discovery document; every other request (token, MCP, metadata) is answered 404 or 503. */
const fakeNetwork = async (input: string | URL | Request): Promise<Response> => {
  const url = input instanceof Request ? input.url : String(input);
  if (url === `${ISSUER}/.well-known/openid-configuration`) {
    return Response.json({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      jwks_uri: `${ISSUER}/jwks`,
      end_session_endpoint: `${ISSUER}/logout`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
  }
  return new Response('unavailable', { status: url.startsWith(MCP) ? 503 : 404 });
};

let app: FastifyInstance;
beforeAll(async () => {
  const config = loadAgentHostConfig({
    dataDir: mkdtempSync(join(tmpdir(), 'agent-host-fuzz-')),
    idp: { issuer: ISSUER },
    servers: [{ id: 'acme-tickets', name: 'Acme Tickets', url: MCP }],
    allowInsecureLoopback: true,
  });
  app = await buildApp(config, { fetch: fakeNetwork, logger: false });
  // Building the app takes seconds on a loaded machine.
}, 60_000);
afterAll(async () => {
  await app.close();
});

/** A signed-in session (as the callback stores it): its cookie value and its form token. */
function signedIn(name: string): { cookie: string; csrf: string } {
  const context = app.agentHost;
  if (!context) throw new Error('no context');
  const id = context.sessions.create(
    {
      userKey: `${ISSUER}|${name}`,
      subject: name,
      name,
      email: `${name}@acme.example`,
      idToken: 'header.payload.signature',
      idTokenExpiresAt: context.now() + 600_000,
      refreshToken: 'rt',
    },
    3600,
  );
  const found = context.sessions.find(id);
  if (!('session' in found)) throw new Error('session not stored');
  return { cookie: app.signCookie(id), csrf: found.session.csrfToken };
}

describe('the agent host under HTTP fuzzing', () => {
  it('[FUZZ-NO-5XX] [FUZZ-HEALTHY-AFTER] answers every random request to every route below 500, and starts a sign-in afterwards', async () => {
    const sessions = ['alice', 'bob', 'carol'].map(signedIn);
    const csrfTokens = sessions.map((session) => session.csrf);
    const report = await runHttpFuzz(app, {
      name: 'agent-host',
      ...fuzzSettings(2500),
      dictionary: {
        origin: ORIGIN,
        parameterNames: ['csrf_token', 'code', 'state', 'iss', 'error', 'error_description', 'expired', 'flow'],
        values: [...csrfTokens, ISSUER, 'access_denied', 'login_required', '{"status":"open"}', 'TCK-1', '1'],
        cookies: { ema_session: [...sessions.map((session) => session.cookie), 'unsigned'], ema_login: ['x'] },
        pathValues: ['acme-tickets', 'list_tickets', 'create_ticket', 'update_ticket', 'no-such-server'],
      },
    });
    expect(report.numRuns).toBeGreaterThan(0);

    const host = new URL(ORIGIN).host;
    expect((await app.inject({ url: '/healthz', headers: { host } })).statusCode).toBe(200);
    const signIn = await app.inject({ url: '/auth/signin', headers: { host } });
    expect(signIn.statusCode).toBe(302);
    expect(String(signIn.headers.location)).toMatch(new RegExp(`^${ISSUER}/authorize\\?`));
  }, 300_000);
});
