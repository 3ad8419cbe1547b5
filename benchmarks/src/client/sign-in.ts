import { createHash, randomBytes } from 'node:crypto';
import { GRANT_TYPE_AUTHORIZATION_CODE, MEDIA_TYPE_FORM } from '@ema/protocol';
import { AGENT_HOST_AT_IDP, AGENT_HOST_REDIRECT_URI, basicAuthorization, DEMO_USER } from './demo-credentials.js';

/**
 * Signs a user (the demo user by default) in at the IdP the way the agent host does (OIDC authorization code flow
 * with PKCE S256, state and nonce; EMA-PROFILE step 1), reading the code off the redirect instead of following it to
 * the agent host, and returns the ID token. Input preparation, not a measured scenario.
 */
export async function signInForIdToken(
  endpoints: {
    authorizationEndpoint: string;
    tokenEndpoint: string;
  },
  user: { username: string; password: string } = DEMO_USER,
): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(endpoints.authorizationEndpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: AGENT_HOST_AT_IDP.clientId,
    redirect_uri: AGENT_HOST_REDIRECT_URI,
    scope: 'openid email profile',
    state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const browser = new CookieBrowser();
  let page = await browser.get(authorize.toString());
  // The sign-in page: one form; submit it with the demo user's credentials and every hidden field it carries.
  for (let step = 0; step < 5 && page.location === undefined; step += 1) {
    const form = parseForm(page.body, page.url);
    if (form === undefined) throw new Error(`sign-in: no form on ${page.url} (${page.status})`);
    form.fields.set('username', user.username);
    form.fields.set('password', user.password);
    page = await browser.post(form.action, new URLSearchParams([...form.fields]).toString());
  }
  while (page.location !== undefined && !page.location.startsWith(AGENT_HOST_REDIRECT_URI)) {
    page = await browser.get(page.location);
  }
  if (page.location === undefined) throw new Error(`sign-in: no redirect to the client (${page.status})`);
  const callback = new URL(page.location);
  const code = callback.searchParams.get('code');
  if (code === null || callback.searchParams.get('state') !== state) {
    throw new Error(`sign-in: the redirect carries no code for our state: ${callback.search}`);
  }

  const response = await fetch(endpoints.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPE_FORM, authorization: basicAuthorization(AGENT_HOST_AT_IDP) },
    body: new URLSearchParams({
      grant_type: GRANT_TYPE_AUTHORIZATION_CODE,
      code,
      redirect_uri: AGENT_HOST_REDIRECT_URI,
      code_verifier: verifier,
    }).toString(),
  });
  const body: unknown = await response.json();
  if (response.status !== 200 || typeof body !== 'object' || body === null || !('id_token' in body)) {
    throw new Error(`sign-in: the code redemption failed: ${response.status} ${JSON.stringify(body)}`);
  }
  if (typeof body.id_token !== 'string') throw new Error('sign-in: id_token is not a string');
  return body.id_token;
}

interface Page {
  url: string;
  status: number;
  body: string;
  /** The absolute redirect target, when the answer was a redirect. */
  location: string | undefined;
}

/** Just enough of a browser for one sign-in: a cookie jar, manual redirects. */
class CookieBrowser {
  readonly #cookies = new Map<string, string>();

  get(url: string): Promise<Page> {
    return this.#send(url, { method: 'GET' });
  }

  post(url: string, form: string): Promise<Page> {
    return this.#send(url, { method: 'POST', body: form, headers: { 'content-type': MEDIA_TYPE_FORM } });
  }

  async #send(url: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<Page> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method: init.method,
      redirect: 'manual',
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (pair !== undefined && separator > 0) this.#cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    const location = response.headers.get('location');
    return {
      url,
      status: response.status,
      body: await response.text(),
      location: location === null ? undefined : new URL(location, url).toString(),
    };
  }
}

/** The first POST form of an HTML page: its absolute action and its named inputs' values. */
function parseForm(html: string, pageUrl: string): { action: string; fields: Map<string, string> } | undefined {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  const action = attribute(form[1] ?? '', 'action') ?? pageUrl;
  const fields = new Map<string, string>();
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const name = attribute(input[1] ?? '', 'name');
    if (name !== undefined) fields.set(name, attribute(input[1] ?? '', 'value') ?? '');
  }
  return { action: new URL(decodeEntities(action), pageUrl).toString(), fields };
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(attributes);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x27;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
