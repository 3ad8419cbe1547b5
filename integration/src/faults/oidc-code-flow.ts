/**
 * The OIDC authorization code flow (with PKCE S256) against the IdP with plain `fetch`, as the fault tests drive it:
 * one password sign-in for an SSO session, then any number of code flows on that session, each without a password.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The demo agent host's registration at the IdP (docs/demo-world.md). */
export const AGENT_HOST = {
  clientId: 'agent-host',
  clientSecret: 'agent-host-dev-secret',
  redirectUri: 'http://localhost:3000/auth/callback',
} as const;

/** The cookies a browser keeps for the IdP. */
export type CookieJar = Map<string, string>;

/** An authorization code and the PKCE verifier that redeems it. */
export interface IssuedCode {
  code: string;
  verifier: string;
}

function keepCookies(jar: CookieJar, response: Response): void {
  for (const setCookie of response.headers.getSetCookie()) {
    const [pair = ''] = setCookie.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

const cookieHeader = (jar: CookieJar): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

function authorizationUrl(issuer: string): { url: URL; verifier: string } {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/authorize', issuer);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: AGENT_HOST.clientId,
    redirect_uri: AGENT_HOST.redirectUri,
    scope: 'openid profile email offline_access',
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url, verifier };
}

function codeOf(response: Response, issuer: string): string {
  const location = new URL(response.headers.get('location') ?? '', issuer);
  const code = location.searchParams.get('code');
  if (response.status !== 302 || code === null) throw new Error(`no code: ${response.status} ${location.href}`);
  return code;
}

/** Signs in through the sign-in form; the jar then holds the SSO session. Returns the first code. */
export async function signInWithPassword(
  issuer: string,
  jar: CookieJar,
  username: string,
  password: string,
): Promise<IssuedCode> {
  const { url, verifier } = authorizationUrl(issuer);
  const page = await fetch(url, { redirect: 'manual' });
  keepCookies(jar, page);
  const fields: Record<string, string> = {};
  for (const input of (await page.text()).matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name !== undefined) fields[name] = value.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  }
  const login = await fetch(new URL('/login', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), origin: issuer },
    body: new URLSearchParams({ ...fields, username, password }),
  });
  keepCookies(jar, login);
  return { code: codeOf(login, issuer), verifier };
}

/** A code flow on the jar's SSO session: the IdP redirects back with a code at once. */
export async function authorizeWithSession(issuer: string, jar: CookieJar): Promise<IssuedCode> {
  const { url, verifier } = authorizationUrl(issuer);
  const response = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
  return { code: codeOf(response, issuer), verifier };
}

/** A token request of the agent host (client_secret_basic); the status and the JSON body. */
export async function agentTokenRequest(
  issuer: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const basic = Buffer.from(`${AGENT_HOST.clientId}:${AGENT_HOST.clientSecret}`).toString('base64');
  const response = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** RFC 6749 §4.1.3: redeems a code for the token set. */
export function redeemCode(issuer: string, issued: IssuedCode) {
  return agentTokenRequest(issuer, {
    grant_type: 'authorization_code',
    code: issued.code,
    redirect_uri: AGENT_HOST.redirectUri,
    code_verifier: issued.verifier,
  });
}
