/**
 * An MCP client of the interactive path, driven with plain `fetch` and the test browser as a native app would: a
 * loopback redirect URI on a free port (RFC 8252 §7.3), registration (RFC 7591), the authorization request with PKCE
 * S256, `state` and `resource`, the sign-in at the IdP, the consent, the code exchange and refreshes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { s256CodeChallenge } from '@ema/oauth-server';
import { formFields, type TestBrowser } from './test-browser.js';

/** A loopback server that receives the authorization response, as a native app listens for it. */
export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback`. */
  redirectUri: string;
  close(): Promise<void>;
}

/** Starts the callback server on a free loopback port; it answers every request with a short page. */
export async function startCallbackServer(): Promise<CallbackServer> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('You may close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A PKCE verifier (RFC 7636 §4.1) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  return { verifier, challenge: s256CodeChallenge(verifier) };
}

/** Registers a public client (RFC 7591) with a port-less loopback redirect URI; returns its `client_id`. */
export async function registerPublicClient(rasIssuer: string, metadata: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${rasIssuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Generic MCP client',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      ...metadata,
    }),
  });
  const body = (await response.json()) as { client_id?: string };
  if (response.status !== 201 || body.client_id === undefined) throw new Error(`registration: ${JSON.stringify(body)}`);
  return body.client_id;
}

/** Where the browser stands after signing in: the RAS's consent page, or another page (a refusal). */
export interface SignedInAtRas {
  status: number;
  page: string;
}

/** Opens the authorization URL in the browser, signs in at the IdP's form, and returns the page the RAS shows next. */
export async function authorizeAndSignIn(
  browser: TestBrowser,
  request: {
    rasIssuer: string;
    clientId: string;
    redirectUri: string;
    challenge: string;
    resource: string;
    scope?: string;
    state: string;
    username: string;
  },
): Promise<SignedInAtRas> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
    resource: request.resource,
    ...(request.scope === undefined ? {} : { scope: request.scope }),
  });
  const login = await browser.go(`${request.rasIssuer}/authorize?${query}`);
  if (login.status !== 200) throw new Error(`no sign-in page: ${login.status} ${login.body}`);
  const form = formFields(login.body, /login/);
  const next = await browser.go(new URL(form.action, browser.url).href, {
    form: { ...form.fields, username: request.username, password: `${request.username}-password` },
  });
  return { status: next.status, page: next.body };
}

/** Answers the consent page; returns the URL the browser ended on (the client's redirect URI with the response). */
export async function answerConsent(browser: TestBrowser, page: string, decision: 'allow' | 'deny'): Promise<URL> {
  await browser.submit(page, /\/authorize\/consent$/, { decision });
  return new URL(browser.url);
}

/** A token request of a public client; returns the status and JSON body. */
export async function publicTokenRequest(
  rasIssuer: string,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${rasIssuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
