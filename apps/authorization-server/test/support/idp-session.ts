/**
 * Drives the repository's IdP (in-process, `app.inject()`) like the agent host does: OIDC code flow with PKCE to
 * sign a demo user in, then the RFC 8693 token exchange for an ID-JAG. Mirrors the IdP's own test support.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GRANT_TYPE_TOKEN_EXCHANGE, MEDIA_TYPE_FORM, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { basic } from './ras.js';

export const AGENT_AT_IDP = { id: 'agent-host', secret: 'agent-host-dev-secret' };
const REDIRECT_URI = 'http://localhost:3000/auth/callback';

const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const decodeHtml = (value: string): string =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

class CookieJar {
  readonly cookies = new Map<string, string>();
  store(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies as Array<{ name: string; value: string }>) {
      if (cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Signs `username` in (password `<username>-password`, DEMO.md) and returns the IdP's ID token for the agent host. */
export async function signIn(idp: FastifyInstance, username: string): Promise<string> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const params = {
    response_type: 'code',
    client_id: AGENT_AT_IDP.id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  };
  const page = await idp.inject({
    method: 'GET',
    url: `/authorize?${form(params)}`,
    headers: { cookie: jar.header() },
  });
  jar.store(page);
  const fields: Record<string, string> = {};
  for (const match of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = decodeHtml(match[2] ?? '');
  }
  const login = await idp.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: jar.header(), 'content-type': MEDIA_TYPE_FORM },
    payload: form({ ...fields, username, password: `${username}-password` }),
  });
  const code = new URL(String(login.headers.location)).searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${login.statusCode} ${login.body.slice(0, 200)}`);
  const tokens = await idp.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(AGENT_AT_IDP.id, AGENT_AT_IDP.secret) },
    payload: form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  });
  const idToken = tokens.json<{ id_token?: string }>().id_token;
  if (!idToken) throw new Error(`code exchange failed: ${tokens.statusCode} ${tokens.body.slice(0, 200)}`);
  return idToken;
}

/** RFC 8693 token exchange at the IdP for an ID-JAG (EMA-PROFILE step 3). */
export function exchangeForIdJag(
  idp: FastifyInstance,
  idToken: string,
  request: { audience: string; resource: string; scope?: string },
): Promise<LightMyRequestResponse> {
  return idp.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(AGENT_AT_IDP.id, AGENT_AT_IDP.secret) },
    payload: form({
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      requested_token_type: TOKEN_TYPE_ID_JAG,
      audience: request.audience,
      resource: request.resource,
      ...(request.scope === undefined ? {} : { scope: request.scope }),
      subject_token: idToken,
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
    }),
  });
}

/** A `fetch` that answers requests for `origin` from the in-process app (how the RAS reaches the IdP's JWKS). */
export function fetchVia(app: FastifyInstance, origin: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== origin) return new Response('not found', { status: 404 });
    const response = await app.inject({
      method: 'GET',
      url: `${url.pathname}${url.search}`,
      headers: { accept: String(new Headers(init?.headers).get('accept') ?? '*/*') },
    });
    return new Response(response.rawPayload, {
      status: response.statusCode,
      headers: { 'content-type': String(response.headers['content-type'] ?? 'application/json') },
    });
  };
}
