/**
 * The client side of Enterprise-Managed Authorization, driven with plain `fetch` as an agent host would: OIDC
 * sign-in at the IdP (authorization code with PKCE), RFC 8693 token exchange of the ID token for an ID-JAG, RFC 7523
 * jwt-bearer grant of the ID-JAG at the RAS for an access token to one MCP server.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
  WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER,
  WELL_KNOWN_OPENID_CONFIGURATION,
} from '@ema/protocol';

/** A confidential client's credentials at one server (RFC 6749 §2.3.1 `client_secret_basic`). */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** A token endpoint's JSON answer; anything but 200 fails the test with the server's error body. */
async function tokenRequest(
  endpoint: string,
  client: ClientCredentials,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const basic = Buffer.from(
    `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`,
  ).toString('base64');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${endpoint} answered ${response.status} ${JSON.stringify(body)}`);
  return body;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0) throw new Error(`no ${name} in ${JSON.stringify(body)}`);
  return value;
}

async function tokenEndpointOf(metadataUrl: string): Promise<string> {
  const response = await fetch(metadataUrl);
  return stringField((await response.json()) as Record<string, unknown>, 'token_endpoint');
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Cookies of one origin, as a browser would carry them between the sign-in page and the form post. */
function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

function keepCookies(jar: Map<string, string>, response: Response): void {
  for (const setCookie of response.headers.getSetCookie()) {
    const [pair = ''] = setCookie.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** The hidden inputs of the IdP's sign-in form. */
function hiddenFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const input of page.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields[name] = (value ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  }
  return fields;
}

/**
 * Signs a user in at the IdP (OIDC Core §3.1 with PKCE S256, `state` and `nonce`) through its sign-in form and
 * returns the ID token. The redirect back to the client is read, not followed: no client needs to listen.
 */
export async function signIn(options: {
  idpIssuer: string;
  client: ClientCredentials;
  redirectUri: string;
  username: string;
  password: string;
}): Promise<string> {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const authorize = new URL('/authorize', options.idpIssuer);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: options.client.clientId,
    redirect_uri: options.redirectUri,
    scope: 'openid profile email',
    state,
    nonce: base64url(randomBytes(16)),
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
  }).toString();
  const jar = new Map<string, string>();
  const page = await fetch(authorize, { redirect: 'manual' });
  keepCookies(jar, page);
  if (page.status !== 200) throw new Error(`the IdP answered the authorization request with ${page.status}`);
  const login = await fetch(new URL('/login', options.idpIssuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({
      ...hiddenFields(await page.text()),
      username: options.username,
      password: options.password,
    }),
  });
  const location = new URL(login.headers.get('location') ?? '', options.idpIssuer);
  if (login.status !== 302 || location.searchParams.get('state') !== state) {
    throw new Error(`the sign-in ended with ${login.status} at ${location.href}`);
  }
  const tokens = await tokenRequest(
    await tokenEndpointOf(`${options.idpIssuer}${WELL_KNOWN_OPENID_CONFIGURATION}`),
    options.client,
    {
      grant_type: GRANT_TYPE_AUTHORIZATION_CODE,
      code: location.searchParams.get('code') ?? '',
      redirect_uri: options.redirectUri,
      code_verifier: verifier,
    },
  );
  return stringField(tokens, 'id_token');
}

/** ID-JAG §4.3: trades the ID token at the IdP for an ID-JAG addressed to the RAS, for one resource and scope. */
export async function requestIdJag(options: {
  idpIssuer: string;
  client: ClientCredentials;
  idToken: string;
  rasIssuer: string;
  resource: string;
  scope: string;
}): Promise<string> {
  const answer = await tokenRequest(
    await tokenEndpointOf(`${options.idpIssuer}${WELL_KNOWN_OPENID_CONFIGURATION}`),
    options.client,
    {
      grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
      requested_token_type: TOKEN_TYPE_ID_JAG,
      audience: options.rasIssuer,
      resource: options.resource,
      scope: options.scope,
      subject_token: options.idToken,
      subject_token_type: TOKEN_TYPE_ID_TOKEN,
    },
  );
  if (answer.issued_token_type !== TOKEN_TYPE_ID_JAG) throw new Error('the IdP issued no ID-JAG');
  return stringField(answer, 'access_token');
}

/** ID-JAG §4.4 / RFC 7523 §2.1: redeems the ID-JAG at the RAS for an access token. */
export async function redeemIdJag(options: {
  rasIssuer: string;
  client: ClientCredentials;
  idJag: string;
}): Promise<{ accessToken: string; scope: string }> {
  const answer = await tokenRequest(
    await tokenEndpointOf(`${options.rasIssuer}${WELL_KNOWN_OAUTH_AUTHORIZATION_SERVER}`),
    options.client,
    { grant_type: GRANT_TYPE_JWT_BEARER, assertion: options.idJag },
  );
  return { accessToken: stringField(answer, 'access_token'), scope: stringField(answer, 'scope') };
}
