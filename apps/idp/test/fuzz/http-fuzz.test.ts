/**
 * HTTP fuzzing of the IdP: random methods, paths, parameters, headers, cookies and bodies against every route it
 * registers (its own route tree), with real credentials mixed in (the agent host's client secret, the admin
 * console's session and CSRF token, the admin API token, an ID token, a refresh token, an access token) so that the
 * requests reach past authentication. No answer may be a 5xx, and the IdP must still work afterwards.
 */
import { fuzzSettings, runHttpFuzz } from '@ema/http-fuzz';
import { APP_STORES } from '@ema/postgres-server/test-database';
import { TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import {
  AGENT,
  basic,
  ISSUER,
  idJagRequest,
  MCP,
  postToken,
  RAS,
  REDIRECT_URI,
  startIdp,
} from '../support/test-app.js';

const ADMIN_API_TOKEN = 'test-admin-api-token-0123456789abcdef';
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const UNLIMITED = 1_000_000_000;

describe.each(APP_STORES)('the IdP under HTTP fuzzing on $name', (store) => {
  let app: IdpApp;
  let alice: Awaited<ReturnType<typeof tokensFor>>;
  let admin: Awaited<ReturnType<typeof tokensFor>>;
  beforeAll(async () => {
    const databaseUrl = await store.databaseUrl('idp_fuzz');
    ({ app } = await startIdp({
      config: {
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
        tokenRateLimitPerAddress: UNLIMITED,
        tokenRateLimitPerClient: UNLIMITED,
        adminRateLimitPerAddress: UNLIMITED,
      },
    }));
    alice = await tokensFor(app, 'alice');
    admin = await tokensFor(app, 'admin');
    // Building the app and signing two users in takes seconds on a loaded machine.
  }, 60_000);
  afterAll(async () => {
    await app.close();
  });

  it('[FUZZ-NO-5XX] [FUZZ-HEALTHY-AFTER] answers every random request to every route below 500, and serves a token exchange afterwards', async () => {
    const consolePage = await app.inject({
      url: '/admin/users',
      headers: { cookie: admin.jar.header(), host: 'localhost:3100' },
    });
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(consolePage.body)?.[1] ?? 'no-csrf-token';
    // Alice's own account, client and policy stay out of the dictionary: the check afterwards exchanges her ID token.
    const ids = {
      users: ['usr_bob', 'usr_carol', 'usr_nobody'],
      groups: ['sales', 'contractors', 'no-such-group'],
      clients: ['other-agent', 'no-such-client'],
      other: ['sales-tickets', 'contractors-no-tickets', 'no-such-rule', '0', '-1'],
    };
    const report = await runHttpFuzz(app, {
      name: 'idp',
      ...fuzzSettings(2500),
      dictionary: {
        origin: ISSUER,
        parameterNames: [
          ...['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier', 'refresh_token'],
          ...['subject_token', 'subject_token_type', 'requested_token_type', 'actor_token', 'audience', 'resource'],
          ...['scope', 'response_type', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt'],
          ...['max_age', 'login_hint', 'username', 'password', 'csrf_token', 'id_token_hint', 'request'],
          ...['post_logout_redirect_uri', 'name', 'email', 'disabled', 'groups', 'description', 'clientId'],
          ...['redirectUris', 'postLogoutRedirectUris', 'mayRequestIdJag', 'rasClientIds', 'resourceId', 'scopes'],
          ...['effect', 'subjectType', 'subject', 'requiredAmr', 'maxAuthAgeSeconds', 'amr', 'authAgeSeconds'],
          ...['type', 'outcome', 'limit', 'before', 'since', 'until', 'id', 'secret'],
        ],
        values: [
          ...['authorization_code', 'refresh_token', EXCHANGE, 'client_credentials', 'password'],
          ...[TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_REFRESH_TOKEN, 'code', 'S256', 'plain', 'none'],
          ...[RAS, MCP, REDIRECT_URI, AGENT.id, AGENT.secret, 'openid profile email offline_access', 'tickets.read'],
          ...['bob', 'bob-password', 'carol', 'login', 'allow', 'deny', 'group', 'user', 'pwd', 'true', 'false'],
          ...[alice.id_token, String(alice.refresh_token), alice.access_token, csrf, '0', '3600', '1e3'],
          ...Object.values(ids).flat(),
        ],
        authorizations: [basic(AGENT.id, AGENT.secret), `Bearer ${ADMIN_API_TOKEN}`, `Bearer ${alice.access_token}`],
        cookies: {
          idp_session: [...admin.jar.cookies].filter(([name]) => name === 'idp_session').map(([, value]) => value),
          idp_csrf: ['x', csrf],
        },
        headers: { 'x-csrf-token': [csrf] },
        pathValues: Object.values(ids).flat(),
      },
    });
    expect(report.numRuns).toBeGreaterThan(0);

    expect((await app.inject({ url: '/healthz', headers: { host: 'localhost:3100' } })).statusCode).toBe(200);
    const exchanged = await postToken(app, idJagRequest(alice.id_token));
    expect(exchanged.statusCode).toBe(200);
    expect(exchanged.json()).toMatchObject({ issued_token_type: TOKEN_TYPE_ID_JAG });
  }, 300_000);
});
