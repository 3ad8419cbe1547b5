/**
 * Drives the IdP over HTTP as the agent host does: the OIDC code flow with PKCE to sign a demo user in (docs/demo-world.md
 * passwords), then the RFC 8693 token exchange of the ID token for an ID-JAG (ID-JAG §4.3).
 */
import { createHash, randomBytes } from 'node:crypto';
import { GRANT_TYPE_TOKEN_EXCHANGE, MEDIA_TYPE_FORM, TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';

/** The agent host's client at the IdP (docs/demo-world.md). */
export const AGENT_AT_IDP = { id: 'agent-host', secret: 'agent-host-dev-secret' };
const REDIRECT_URI = 'http://localhost:3000/auth/callback';

/** RFC 6749 §2.3.1 Basic credentials. */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

const decodeHtml = (value: string): string =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** Signs `username` in at the IdP and returns the ID token the IdP issued to the agent host. */
export async function signIn(idp: string, username: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (response: Response): void => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';', 1);
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = (): string => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URLSearchParams({
    response_type: 'code',
    client_id: AGENT_AT_IDP.id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const page = await fetch(`${idp}/authorize?${authorize}`, { redirect: 'manual' });
  keep(page);
  const fields = new URLSearchParams();
  for (const match of (await page.text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(match[1] ?? '', decodeHtml(match[2] ?? ''));
  }
  fields.set('username', username);
  fields.set('password', `${username}-password`);
  const login = await fetch(`${idp}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': MEDIA_TYPE_FORM, cookie: cookie() },
    body: fields,
  });
  const location = login.headers.get('location');
  const code = location === null ? null : new URL(location).searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${login.status} ${(await login.text()).slice(0, 200)}`);

  const tokens = await fetch(`${idp}/token`, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(AGENT_AT_IDP.id, AGENT_AT_IDP.secret) },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  });
  const { id_token: idToken } = (await tokens.json()) as { id_token?: unknown };
  if (typeof idToken !== 'string') throw new Error(`code exchange failed: ${tokens.status}`);
  return idToken;
}

/** RFC 8693 token exchange at the IdP: the ID token for an ID-JAG for `audience` (an authorization server). */
export function exchangeForIdJag(
  idp: string,
  idToken: string,
  request: { audience: string; resource: string; scope: string },
): Promise<Response> {
  return fetch(`${idp}/token`, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basic(AGENT_AT_IDP.id, AGENT_AT_IDP.secret) },
    body: new URLSearchParams({
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      requested_token_type: TOKEN_TYPE_ID_JAG,
      audience: request.audience,
      resource: request.resource,
      scope: request.scope,
      subject_token: idToken,
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
    }),
  });
}
