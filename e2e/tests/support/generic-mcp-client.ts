import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';
import { type DemoUser, MCP_RESOURCE, URLS } from '../../stack/demo-world.js';
import { signInAtIdp } from './idp-sign-in.js';

/**
 * A generic MCP client without EMA, the way a native app works on the interactive path: it registers itself at the
 * authorization server (RFC 7591), listens on a loopback port for the answer (RFC 8252 §7.3), opens the authorization
 * URL in the browser (PKCE S256, state, resource), and exchanges the code. The person in the browser signs in at the
 * IdP and consents at the authorization server, through the pages.
 */
export class GenericMcpClient {
  private constructor(
    readonly clientId: string,
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  /** Registers the client and starts its loopback listener. */
  static async start(): Promise<GenericMcpClient> {
    const server = createServer((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<h1>Signed in</h1><p>Return to the application.</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const registered = await fetch(`${URLS.authorizationServer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'Generic MCP client',
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
      }),
    });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    return new GenericMcpClient(clientId, server, `http://127.0.0.1:${port}/callback`);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Opens the authorization URL in a new browser context and signs `user` in at the IdP. Returns the page (the
   * authorization server's consent screen, or its refusal) and what the token request will need.
   */
  async authorize(
    browser: Browser,
    user: DemoUser,
  ): Promise<{ context: BrowserContext; page: Page; state: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.clientId,
      redirect_uri: this.redirectUri,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: MCP_RESOURCE,
      // What the MCP server's 401 names (least privilege); writing would need a passkey sign-in first.
      scope: 'tickets.read',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${URLS.authorizationServer}/authorize?${query}`);
    await signInAtIdp(page, user);
    await expect(page).toHaveURL((url) => url.origin === URLS.authorizationServer);
    return { context, page, state, verifier };
  }

  /** Exchanges the code of the page's current URL (the loopback callback) for tokens. */
  async exchange(callbackUrl: string, verifier: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const code = new URL(callbackUrl).searchParams.get('code') ?? '';
    const response = await fetch(`${URLS.authorizationServer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: this.clientId,
        code,
        redirect_uri: this.redirectUri,
        code_verifier: verifier,
        resource: MCP_RESOURCE,
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
