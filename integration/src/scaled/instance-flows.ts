/**
 * The client side of the flow aimed at one place: a balancer or one instance of a role. Each call answers with the
 * status and JSON body the server sent, never throwing on a refusal, so a test can count successes and refusals.
 * Paths are the apps' own (the discovery documents name the public URL, not an instance).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  GRANT_TYPE_AUTHORIZATION_CODE,
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_REFRESH_TOKEN,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
} from '@ema/protocol';
import { formFields } from '../test-browser.js';

/** The demo world's agent host, at the IdP and at the RAS (docs/demo-world.md). */
export const AGENT_AT_IDP = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' } as const;
export const AGENT_AT_RAS = { clientId: 'acme-agent-host', clientSecret: 'acme-agent-host-dev-secret' } as const;
/** The agent host's redirect URI registered at the IdP; the code is read off the redirect, never followed. */
export const AGENT_REDIRECT_PATH = '/auth/callback';

/** A server's answer. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

function basic(client: { clientId: string; clientSecret: string }): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

/** `POST <base>/token` with the client's `client_secret_basic` credentials. */
export async function tokenRequest(
  base: string,
  client: { clientId: string; clientSecret: string },
  params: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(new URL('/token', base), {
    method: 'POST',
    headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body };
}

/** What a sign-in gives the agent host. */
export interface SignedIn {
  readonly idToken: string;
  readonly refreshToken: string | undefined;
}

/**
 * Signs a user in at `idp` (a balancer or one instance): authorization request, the sign-in form, the code off the
 * redirect, the token request; all at that one place. `offline_access` asks for a refresh token.
 */
export async function signInAt(
  idp: string,
  agentHost: string,
  user: { username: string; password: string },
): Promise<SignedIn> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const redirectUri = new URL(AGENT_REDIRECT_PATH, agentHost).toString();
  const form = await openSignInForm(idp, agentHost, { scope: 'openid profile email offline_access', state, verifier });
  const login = await postForm(new URL('/login', idp), { ...form.fields, ...user }, form.cookie);
  const location = new URL(login.headers.get('location') ?? '/', idp);
  if (login.status !== 302 || location.searchParams.get('state') !== state) {
    throw new Error(`sign-in at ${idp} ended with ${login.status} ${await login.text()}`);
  }
  const tokens = await tokenRequest(idp, AGENT_AT_IDP, {
    grant_type: GRANT_TYPE_AUTHORIZATION_CODE,
    code: location.searchParams.get('code') ?? '',
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const { id_token: idToken, refresh_token: refreshToken } = tokens.body;
  if (tokens.status !== 200 || typeof idToken !== 'string') {
    throw new Error(`code redemption at ${idp}: ${tokens.status} ${JSON.stringify(tokens.body)}`);
  }
  return { idToken, refreshToken: typeof refreshToken === 'string' ? refreshToken : undefined };
}

/** One attempt at the sign-in form of `idp` with this password; answers the form's HTTP status. */
export async function attemptSignIn(
  idp: string,
  agentHost: string,
  username: string,
  password: string,
): Promise<number> {
  const form = await openSignInForm(idp, agentHost, {
    scope: 'openid',
    state: randomBytes(16).toString('base64url'),
    verifier: randomBytes(32).toString('base64url'),
  });
  const answer = await postForm(new URL('/login', idp), { ...form.fields, username, password }, form.cookie);
  await answer.body?.cancel();
  return answer.status;
}

/**
 * The agent host's authorization request (code flow with PKCE) at `idp`, and the sign-in form it answers with: its
 * fields, and the session cookie to post them back with.
 */
async function openSignInForm(
  idp: string,
  agentHost: string,
  request: { scope: string; state: string; verifier: string },
): Promise<{ fields: Record<string, string>; cookie: string }> {
  const authorize = new URL('/authorize', idp);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: AGENT_AT_IDP.clientId,
    redirect_uri: new URL(AGENT_REDIRECT_PATH, agentHost).toString(),
    scope: request.scope,
    state: request.state,
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(request.verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const page = await fetch(authorize, { redirect: 'manual' });
  const cookie = page.headers
    .getSetCookie()
    .map((set) => set.split(';')[0])
    .join('; ');
  return { fields: formFields(await page.text(), /\/login$/).fields, cookie };
}

function postForm(url: URL, fields: Record<string, string>, cookie: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url.origin },
    body: new URLSearchParams(fields),
  });
}

/** ID-JAG §4.3: the ID token for an ID-JAG at `idp`. */
export function exchangeAt(
  idp: string,
  idToken: string,
  target: { ras: string; resource: string; scope: string },
): Promise<Answer> {
  return tokenRequest(idp, AGENT_AT_IDP, {
    grant_type: GRANT_TYPE_TOKEN_EXCHANGE,
    requested_token_type: TOKEN_TYPE_ID_JAG,
    audience: target.ras,
    resource: target.resource,
    scope: target.scope,
    subject_token: idToken,
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
  });
}

/** RFC 7523: the ID-JAG for an access token at `ras`. */
export function redeemAt(ras: string, idJag: string): Promise<Answer> {
  return tokenRequest(ras, AGENT_AT_RAS, { grant_type: GRANT_TYPE_JWT_BEARER, assertion: idJag });
}

/** RFC 6749 §6: a refresh token for a new token set at `idp`. */
export function refreshAt(idp: string, refreshToken: string): Promise<Answer> {
  return tokenRequest(idp, AGENT_AT_IDP, { grant_type: GRANT_TYPE_REFRESH_TOKEN, refresh_token: refreshToken });
}

/** A string field of an answer, or a thrown error naming the answer. */
export function field(answer: Answer, name: string): string {
  const value = answer.body[name];
  if (answer.status !== 200 || typeof value !== 'string') {
    throw new Error(`expected ${name} in a 200, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return value;
}

/** The payload of a JWT this test received from a server it trusts (read, not verified: the servers verify). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const [, payload = ''] = jwt.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The `kid` of a JWT's protected header. */
export function jwtKid(jwt: string): unknown {
  const [header = ''] = jwt.split('.');
  return (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>).kid;
}
