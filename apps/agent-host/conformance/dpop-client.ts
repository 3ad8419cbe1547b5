/**
 * Entry script for the MCP conformance scenarios `auth/dpop` and `auth/dpop-nonce` (`@modelcontextprotocol/conformance`
 * 0.2.0-alpha.12, SEP-1932). Their mock authorization server speaks the authorization code grant with dynamic client
 * registration, not EMA, so this script is not the agent host (which stays EMA-only): it gets the code with the MCP
 * SDK's own `auth()` (discovery, registration, PKCE; the mock's authorization endpoint redirects at once), and lets
 * the project's DPoP client code, `dpopFetch` of `@ema/ema-client` (proofs by the `dpop` library, the one
 * `use_dpop_nonce` retry), make every proof: at the token request, and on every MCP request with the DPoP scheme and
 * `ath`. The MCP server URL is the last argument.
 */
import { DpopNonceMemory, dpopFetch, type FetchLike, generateDpopKeyPair } from '@ema/ema-client';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';

const REDIRECT_URL = 'http://127.0.0.1:0/callback';

/** An in-memory OAuth client whose "browser" follows the authorization redirect itself and keeps the code. */
class ConformanceProvider implements OAuthClientProvider {
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  code: string | undefined;

  get redirectUrl(): string {
    return REDIRECT_URL;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'EMA DPoP conformance client',
      redirect_uris: [REDIRECT_URL],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }
  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.#client = client;
  }
  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }
  async redirectToAuthorization(url: URL): Promise<void> {
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (location === null) throw new Error(`the authorization endpoint answered ${response.status} without a redirect`);
    this.code = new URL(location).searchParams.get('code') ?? undefined;
  }
  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }
  codeVerifier(): string {
    return this.#verifier;
  }
}

async function main(): Promise<void> {
  const serverUrl = process.argv.at(-1);
  if (!serverUrl?.startsWith('http')) throw new Error('usage: dpop-client.ts <mcp-server-url>');
  // One key for this connection, and the servers' nonces (RFC 9449 §8, §9).
  const key = await generateDpopKeyPair();
  const nonces = new DpopNonceMemory();
  const send: FetchLike = (input, init) => fetch(input, init);
  const proved = dpopFetch(send, { key, nonces });
  // RFC 9449 §5: the token request (a form with grant_type) carries a proof; discovery and registration need none.
  const sdkFetch: FetchLike = (input, init) =>
    init?.body instanceof URLSearchParams && init.body.has('grant_type') ? proved(input, init) : send(input, init);

  const provider = new ConformanceProvider();
  let result = await auth(provider, { serverUrl, fetchFn: sdkFetch });
  if (result === 'REDIRECT') {
    if (provider.code === undefined) throw new Error('no authorization code');
    result = await auth(provider, { serverUrl, authorizationCode: provider.code, fetchFn: sdkFetch });
  }
  const tokens = provider.tokens();
  if (result !== 'AUTHORIZED' || tokens === undefined) throw new Error('not authorized');
  if (tokens.token_type.toLowerCase() !== 'dpop') throw new Error(`token_type is ${tokens.token_type}, expected DPoP`);

  // RFC 9449 §7.1: every MCP request presents the token with the DPoP scheme and a fresh proof bound to it (ath).
  const withToken = dpopFetch(send, { key, nonces, accessToken: tokens.access_token });
  const mcpFetch: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `DPoP ${tokens.access_token}`);
    return withToken(input, { ...init, headers });
  };
  const client = new Client({ name: 'ema-dpop-conformance', version: '0.1.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), { fetch: mcpFetch }));
  const listed = await client.listTools();
  await client.close();
  process.stdout.write(
    `token_type: ${tokens.token_type}\ntools: ${listed.tools.map((tool) => tool.name).join(', ')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `conformance client failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
  process.exit(1);
});
