import type { IdpApp } from '../../src/app.js';
import { AGENT, form, pkce, REDIRECT_URI } from './test-app.js';

/** A minimal cookie jar for `app.inject()`: what a browser would keep between requests. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  store(response: { cookies: readonly { name: string; value: string; maxAge?: number; expires?: Date }[] }): void {
    for (const cookie of response.cookies) {
      const expired =
        cookie.maxAge === 0 ||
        (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now() && cookie.value === '');
      if (expired || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The value of a hidden form field in a page. */
export function hiddenField(page: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1]?.replaceAll('&amp;', '&');
}

/** Parameters of a typical authorization request of the agent host. */
export function authorizationParams(overrides: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: AGENT.id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email groups offline_access',
    state: 'state-123',
    nonce: 'nonce-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  return { params, verifier };
}

/** Opens the authorization endpoint in the "browser". */
export async function authorize(app: IdpApp, jar: CookieJar, params: Record<string, string>) {
  const response = await app.inject({
    method: 'GET',
    url: `/authorize?${form(params)}`,
    headers: { cookie: jar.header() },
  });
  jar.store(response);
  return response;
}

/** Submits the sign-in form shown by a previous response (every hidden field, plus credentials). */
export async function submitLogin(app: IdpApp, jar: CookieJar, page: string, username: string, password: string) {
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] ?? ''] = (match[2] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  const response = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({ ...fields, username, password }),
  });
  jar.store(response);
  return response;
}

/** Signs in through the authorization endpoint and returns the authorization response URL. */
export async function signInForCode(
  app: IdpApp,
  username: string,
  options: { jar?: CookieJar; params?: Record<string, string> } = {},
) {
  const jar = options.jar ?? new CookieJar();
  const { params, verifier } = authorizationParams(options.params);
  const page = await authorize(app, jar, params);
  const login = await submitLogin(app, jar, page.body, username, `${username}-password`);
  const location = new URL(String(login.headers.location));
  return { jar, verifier, location, code: location.searchParams.get('code') ?? '', params };
}

/** Redeems an authorization code of the agent host (PKCE verifier, client_secret_post) at the token endpoint. */
export function redeemCode(app: IdpApp, code: string, verifier: string) {
  return app.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: AGENT.id,
      client_secret: AGENT.secret,
    }),
  });
}

/** Full code flow for a demo user: the token endpoint's JSON response. */
export async function tokensFor(app: IdpApp, username: string, params: Record<string, string> = {}) {
  const { code, verifier, jar } = await signInForCode(app, username, { params });
  const response = await redeemCode(app, code, verifier);
  const body = response.json() as { id_token: string; access_token: string; refresh_token?: string; scope: string };
  return { ...body, jar };
}
