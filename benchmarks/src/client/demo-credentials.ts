/**
 * The demo world's development credentials (DEMO.md) that the benchmark signs in and authenticates with. They are
 * the apps' seeded defaults, valid on loopback only.
 */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** The agent host at the IdP (token exchange). */
export const AGENT_HOST_AT_IDP: ClientCredentials = { clientId: 'agent-host', clientSecret: 'agent-host-dev-secret' };

/** The agent host at the RAS (jwt-bearer redemption). */
export const AGENT_HOST_AT_RAS: ClientCredentials = {
  clientId: 'acme-agent-host',
  clientSecret: 'acme-agent-host-dev-secret',
};

/** The agent host's redirect URI registered at the IdP; the benchmark reads the code off the redirect instead. */
export const AGENT_HOST_REDIRECT_URI = 'http://localhost:3000/auth/callback';

/** Alice (engineering): policy grants her `tickets.read` at Acme Tickets after a password sign-in (writing needs a passkey). */
export const DEMO_USER = { username: 'alice', password: 'alice-password' } as const;

/** The scope every benchmark request asks for at the MCP server (what `list_tickets` needs). */
export const BENCH_SCOPE = 'tickets.read';

/**
 * RFC 6749 §2.3.1 `client_secret_basic`: id and secret are form-urlencoded before they are joined and base64-encoded.
 */
export function basicAuthorization(client: ClientCredentials): string {
  const encode = (value: string): string => encodeURIComponent(value).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}
