import type { Environment } from '@ema/oauth-server/runtime';
import type { AgentHostConfigInput } from './config.js';

/**
 * Turns the `AGENT_*` environment variables into a partial configuration. The only module reading `process.env`;
 * values stay strings so that validation reports the option path.
 */
export function readAgentHostEnv(env: Environment = process.env): AgentHostConfigInput {
  const input: AgentHostConfigInput = {};
  const set = <K extends keyof AgentHostConfigInput>(key: K, value: string | undefined) => {
    if (value !== undefined && value !== '') (input as Record<string, unknown>)[key] = value;
  };
  set('host', env.AGENT_HOST);
  set('port', env.AGENT_PORT);
  set('baseUrl', env.AGENT_BASE_URL);
  set('dataDir', env.AGENT_DATA_DIR);
  set('servers', env.AGENT_MCP_SERVERS);
  set('sessionSecret', env.AGENT_SESSION_SECRET);
  set('sessionTtlSeconds', env.AGENT_SESSION_TTL_SECONDS);
  set('tokenRenewBeforeSeconds', env.AGENT_TOKEN_RENEW_BEFORE_SECONDS);
  set('httpTimeoutMs', env.AGENT_HTTP_TIMEOUT_MS);
  set('dpop', env.AGENT_DPOP);
  set('logLevel', env.AGENT_LOG_LEVEL);
  set('allowInsecureLoopback', env.EMA_DEV_ALLOW_INSECURE_LOOPBACK);
  set('allowedHosts', env.AGENT_ALLOWED_HOSTS);
  set('allowedOrigins', env.AGENT_ALLOWED_ORIGINS);
  const idp: NonNullable<AgentHostConfigInput['idp']> = {};
  if (env.AGENT_IDP_ISSUER) idp.issuer = env.AGENT_IDP_ISSUER;
  if (env.AGENT_IDP_CLIENT_ID) idp.clientId = env.AGENT_IDP_CLIENT_ID;
  if (env.AGENT_IDP_CLIENT_SECRET) idp.clientSecret = env.AGENT_IDP_CLIENT_SECRET;
  if (env.AGENT_IDP_SCOPE) idp.scope = env.AGENT_IDP_SCOPE;
  if (env.AGENT_SIGN_OUT_AT_IDP) idp.signOutAtIdp = env.AGENT_SIGN_OUT_AT_IDP;
  if (env.AGENT_IDP_ACCOUNT_URL) idp.accountUrl = env.AGENT_IDP_ACCOUNT_URL;
  input.idp = idp;
  // The host's credentials per RAS issuer: AGENT_RAS_CREDENTIALS (JSON map issuer -> { clientId, clientSecret }),
  // plus one entry from AGENT_RAS_ISSUER / AGENT_RAS_CLIENT_ID / AGENT_RAS_CLIENT_SECRET.
  const credentials: NonNullable<AgentHostConfigInput['rasCredentials']> = {};
  if (env.AGENT_RAS_CREDENTIALS) {
    try {
      Object.assign(credentials, JSON.parse(env.AGENT_RAS_CREDENTIALS));
    } catch {
      credentials['AGENT_RAS_CREDENTIALS (invalid JSON)'] = {};
    }
  }
  if (env.AGENT_RAS_CLIENT_ID || env.AGENT_RAS_CLIENT_SECRET || env.AGENT_RAS_ISSUER) {
    credentials[env.AGENT_RAS_ISSUER ?? 'http://localhost:3200'] = {
      clientId: env.AGENT_RAS_CLIENT_ID ?? 'acme-agent-host',
      clientSecret: env.AGENT_RAS_CLIENT_SECRET ?? 'acme-agent-host-dev-secret',
    };
  }
  if (Object.keys(credentials).length > 0) input.rasCredentials = credentials;
  return input;
}
