/**
 * Entry script for the MCP conformance scenarios of Enterprise-Managed Authorization
 * (`@modelcontextprotocol/conformance`: `auth/cross-app-access-complete-flow` in 0.1.16,
 * `auth/enterprise-managed-authorization` in 0.2.0-alpha.12). The runner starts a mock IdP, RAS and MCP server,
 * then runs this script with the MCP server URL as the last argument and `MCP_CONFORMANCE_CONTEXT` holding JSON with
 * the IdP issuer and token endpoint, the host's client id at the IdP, an ID token for the user, and the host's
 * credentials at the RAS.
 *
 * It runs the agent host's real client, `@ema/ema-client` with its MCP SDK entry (SDK `Client` +
 * `StreamableHTTPClientTransport`), with the same discovery, exchange and grant code as the web app. Three settings
 * differ from the app, all because of the mock servers, and all named: the mock RAS metadata omits
 * `authorization_grant_profiles_supported` (`acceptUnadvertisedIdJagProfile`), the mock IdP issued no client
 * secret, so the host identifies itself at the IdP by `client_id` alone (`clientIdOnly`), and the mock RAS is
 * whatever the PRM names. An observer prints each exchange, labelled by step.
 */
import {
  clientIdOnly,
  clientSecretBasic,
  EmaClient,
  type ExchangeObserver,
  type ObservedExchange,
} from '@ema/ema-client';
import { withMcpClient } from '@ema/ema-client/mcp-sdk';
import { TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { conformanceContextJson } from './env.js';

interface ConformanceContext {
  client_id: string;
  client_secret: string;
  idp_client_id: string;
  idp_id_token: string;
  idp_issuer: string;
  idp_token_endpoint: string;
}

function readContext(): ConformanceContext {
  const raw = conformanceContextJson();
  if (!raw) throw new Error('MCP_CONFORMANCE_CONTEXT is not set');
  const context = JSON.parse(raw) as Partial<ConformanceContext>;
  for (const key of ['client_id', 'client_secret', 'idp_client_id', 'idp_id_token', 'idp_token_endpoint'] as const) {
    if (typeof context[key] !== 'string') throw new Error(`MCP_CONFORMANCE_CONTEXT.${key} is missing`);
  }
  return context as ConformanceContext;
}

async function main(): Promise<void> {
  const serverUrl = process.argv.at(-1);
  if (!serverUrl?.startsWith('http')) throw new Error('usage: client.ts <mcp-server-url>');
  const context = readContext();
  const ema = new EmaClient({
    idp: {
      tokenEndpoint: async () => context.idp_token_endpoint,
      clientAuthentication: clientIdOnly(context.idp_client_id),
    },
    // The mock RAS is whatever the PRM names; the context's credentials are the host's registration there.
    rasClientAuthentication: () =>
      clientSecretBasic({ clientId: context.client_id, clientSecret: context.client_secret }),
    allowInsecureLoopback: true,
    acceptUnadvertisedIdJagProfile: true,
  });
  const user = {
    key: 'conformance-user',
    subjectToken: async () => ({
      token: context.idp_id_token,
      type: TOKEN_TYPE_ID_TOKEN as typeof TOKEN_TYPE_ID_TOKEN,
    }),
  };
  const exchanges: ObservedExchange[] = [];
  const observer: ExchangeObserver = { exchange: (exchange) => exchanges.push(exchange) };
  const authorization = ema.authorization(user, serverUrl, { observer });
  const tools = await withMcpClient(authorization, async (client) => {
    const listed = await client.listTools();
    const first = listed.tools[0];
    if (first) await client.callTool({ name: first.name, arguments: {} });
    return listed.tools.map((tool) => tool.name);
  });
  const steps = exchanges.map(
    ({ label, response, failure }) => `${label.step}: ${label.title} -> ${response?.status ?? failure}`,
  );
  process.stdout.write(`${steps.join('\n')}\ntools: ${tools.join(', ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `conformance client failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
  process.exit(1);
});
