import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DocumentServer, startDocumentServer, type TestCertificates } from '@ema/test-ca';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { MCP_RESOURCE } from '../../stack/demo-world.js';
import { TEST_CA_FILES_ENV } from '../../stack/test-ca-files.js';

/**
 * An `OAuthClientProvider` of the official MCP SDK (1.32.2) kept in memory, as a native app keeps its client
 * information, tokens and PKCE verifier; the authorization URL the SDK wants opened is handed to the test, which
 * drives it in the browser.
 */
export class RecordingProvider implements OAuthClientProvider {
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #state = '';
  authorizationUrl: URL | undefined;
  /** SEP-991: the HTTPS URL of this client's metadata document, used as `client_id` when the server supports it. */
  readonly clientMetadataUrl?: string;

  constructor(
    readonly redirectUrl: string,
    clientMetadataUrl?: string,
  ) {
    if (clientMetadataUrl !== undefined) this.clientMetadataUrl = clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Official SDK client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state(): string {
    this.#state = crypto.randomUUID();
    return this.#state;
  }
  get expectedState(): string {
    return this.#state;
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.#client = information;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }
  codeVerifier(): string {
    return this.#verifier;
  }
}

/** A loopback listener for the authorization response (RFC 8252 §7.3). */
export async function startLoopbackListener(): Promise<{ redirectUrl: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Signed in</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUrl: `http://127.0.0.1:${port}/callback`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The test CA the stack's authorization server trusts (NODE_EXTRA_CA_CERTS), and a document server it issued for. */
export async function startMetadataDocumentServer(): Promise<DocumentServer> {
  const dir = process.env[TEST_CA_FILES_ENV];
  if (dir === undefined) throw new Error(`${TEST_CA_FILES_ENV} is not set: the global setup makes the test CA`);
  const certificates: TestCertificates = JSON.parse(readFileSync(`${dir}/certificates.json`, 'utf8'));
  return startDocumentServer(certificates);
}

/** `auth()` of the SDK against the MCP server. */
export function sdkAuth(provider: OAuthClientProvider, authorizationCode?: string) {
  // The scope the MCP server's 401 names, as the SDK's transport passes it from the challenge (least privilege).
  return auth(provider, {
    serverUrl: MCP_RESOURCE,
    scope: 'tickets.read',
    ...(authorizationCode === undefined ? {} : { authorizationCode }),
  });
}

/** Connects the SDK's client with the provider's tokens, lists the tools and calls `whoami`. */
export async function connectAndCallWhoami(
  provider: OAuthClientProvider,
): Promise<{ tools: string[]; whoami: string }> {
  const client = new Client({ name: 'official-sdk-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_RESOURCE), { authProvider: provider });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    const content = Array.isArray(result.content) ? result.content : [];
    const text = content.map((part) => (part.type === 'text' ? part.text : '')).join('');
    return { tools: tools.map((tool) => tool.name), whoami: text };
  } finally {
    await client.close();
  }
}
