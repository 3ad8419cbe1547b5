import { TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadIdpConfig } from '../src/config.js';
import {
  authorizationParams,
  authorize,
  CookieJar,
  hiddenField,
  redeemCode,
  signInForCode,
  submitLogin,
} from './support/browser.js';
import { AGENT, basic, form, MCP, RAS, REDIRECT_URI, tempDataDir, testClock } from './support/test-app.js';

const ADMIN_API_TOKEN = 'secret-admin-api-token-0123456789abcdefgh';

describe('logging', () => {
  it('[IDP-LOGS-NO-SECRETS] a full flow at trace level logs no password, secret, code, verifier, cookie or token value', async () => {
    const lines: string[] = [];
    const clock = testClock();
    const config = loadIdpConfig({
      issuer: 'http://localhost:3100',
      dataDir: tempDataDir(),
      allowInsecureLoopback: true,
      logLevel: 'trace',
      passwordHashCost: 14,
      adminApiToken: ADMIN_API_TOKEN,
    });
    const app = await buildApp(config, { now: clock.now, logStream: { write: (line: string) => lines.push(line) } });
    const secrets: string[] = ['alice-password', AGENT.secret, ADMIN_API_TOKEN];
    try {
      const jar = new CookieJar();
      const { params, verifier } = authorizationParams();
      const page = await authorize(app, jar, params);
      await submitLogin(app, jar, page.body, 'alice', 'wrong-password-value');
      const login = await submitLogin(app, jar, page.body, 'alice', 'alice-password');
      const code = new URL(String(login.headers.location)).searchParams.get('code') ?? '';
      secrets.push('wrong-password-value', code, verifier, ...jar.cookies.values());
      // The pending sign-in's id: in the page and in passkey-page URLs, never in the log.
      secrets.push(hiddenField(page.body, 'request_id') ?? '');
      const token = (payload: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: `/token?code=${encodeURIComponent(code)}`,
          headers: {
            authorization: basic(AGENT.id, AGENT.secret),
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: form(payload),
        });
      const issued = (
        await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier })
      ).json() as { id_token: string; access_token: string; refresh_token: string };
      // A replayed code is refused (and logged as a refusal, by reason only).
      await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
      secrets.push(issued.id_token, issued.access_token, issued.refresh_token);
      const second = await tokensAfterSignIn(app);
      secrets.push(...second);
      const refreshed = (await token({ grant_type: 'refresh_token', refresh_token: second[2] ?? '' })).json() as {
        id_token: string;
        access_token: string;
        refresh_token: string;
      };
      secrets.push(refreshed.id_token, refreshed.access_token, refreshed.refresh_token);
      const exchanged = (
        await token({
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          requested_token_type: TOKEN_TYPE_ID_JAG,
          subject_token: refreshed.id_token,
          subject_token_type: TOKEN_TYPE_ID_TOKEN,
          audience: RAS,
          resource: MCP,
          scope: 'tickets.read',
        })
      ).json() as { access_token: string };
      secrets.push(exchanged.access_token);
      await app.inject({
        method: 'GET',
        url: '/userinfo',
        headers: { authorization: `Bearer ${refreshed.access_token}` },
      });
      await app.inject({
        method: 'GET',
        url: '/admin/api/users',
        headers: { authorization: `Bearer ${ADMIN_API_TOKEN}` },
      });
      await app.inject({
        method: 'GET',
        url: `/logout?id_token_hint=${refreshed.id_token}`,
        headers: { cookie: jar.header() },
      });
    } finally {
      await app.close();
    }
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"url":"/token"');
    for (const secret of secrets.filter((value) => value.length >= 8)) {
      expect(log.includes(secret), `a secret of ${secret.length} characters appears in the log`).toBe(false);
    }
  });
});

/** A second sign-in with offline_access in a fresh browser: [id_token, access_token, refresh_token]. */
async function tokensAfterSignIn(app: Awaited<ReturnType<typeof buildApp>>): Promise<string[]> {
  const { jar, code, verifier } = await signInForCode(app, 'alice');
  const response = await redeemCode(app, code, verifier);
  const body = response.json() as { id_token: string; access_token: string; refresh_token: string };
  return [body.id_token, body.access_token, body.refresh_token, code, verifier, ...jar.cookies.values()];
}
