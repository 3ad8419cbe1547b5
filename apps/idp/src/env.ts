import type { Environment } from '@ema/oauth-server/runtime';
import type { IdpConfigInput } from './config.js';

/**
 * Turns the `IDP_*` environment variables into a partial configuration. This is the only module that reads
 * `process.env`; everything else receives a validated {@link IdpConfig}.
 */
export function readIdpEnv(env: Environment = process.env): IdpConfigInput {
  const input: IdpConfigInput = {};
  set(input, 'host', env.IDP_HOST);
  set(input, 'port', env.IDP_PORT);
  set(input, 'issuer', env.IDP_ISSUER);
  set(input, 'dataDir', env.IDP_DATA_DIR);
  set(input, 'databaseUrl', env.IDP_DATABASE_URL);
  set(input, 'idTokenTtlSeconds', env.IDP_ID_TOKEN_TTL_SECONDS);
  set(input, 'accessTokenTtlSeconds', env.IDP_ACCESS_TOKEN_TTL_SECONDS);
  set(input, 'idJagTtlSeconds', env.IDP_ID_JAG_TTL_SECONDS);
  set(input, 'refreshTokenTtlSeconds', env.IDP_REFRESH_TOKEN_TTL_SECONDS);
  set(input, 'sessionTtlSeconds', env.IDP_SESSION_TTL_SECONDS);
  set(input, 'authorizationCodeTtlSeconds', env.IDP_AUTHORIZATION_CODE_TTL_SECONDS);
  set(input, 'adminApiToken', env.IDP_ADMIN_API_TOKEN);
  set(input, 'logLevel', env.IDP_LOG_LEVEL);
  set(input, 'tokenRateLimitPerAddress', env.IDP_TOKEN_RATE_LIMIT_PER_ADDRESS);
  set(input, 'tokenRateLimitPerClient', env.IDP_TOKEN_RATE_LIMIT_PER_CLIENT);
  set(input, 'adminRateLimitPerAddress', env.IDP_ADMIN_RATE_LIMIT_PER_ADDRESS);
  set(input, 'allowedHosts', env.IDP_ALLOWED_HOSTS);
  set(input, 'allowedOrigins', env.IDP_ALLOWED_ORIGINS);
  set(input, 'trustedProxies', env.IDP_TRUSTED_PROXIES);
  set(input, 'dpopRequiredClients', env.IDP_DPOP_REQUIRED_CLIENTS);
  set(input, 'dpopNonces', env.IDP_DPOP_NONCES);
  const demo: { -readonly [K in keyof NonNullable<IdpConfigInput['demo']>]: NonNullable<IdpConfigInput['demo']>[K] } =
    {};
  if (env.IDP_DEMO_AGENT_HOST_URL) demo.agentHostUrl = env.IDP_DEMO_AGENT_HOST_URL;
  if (env.IDP_DEMO_RAS_ISSUER) demo.rasIssuer = env.IDP_DEMO_RAS_ISSUER;
  if (env.IDP_DEMO_MCP_RESOURCE) demo.mcpResource = env.IDP_DEMO_MCP_RESOURCE;
  input.demo = demo;
  const ssf: NonNullable<IdpConfigInput['ssf']> = {};
  if (env.IDP_SSF_RETRY_MAX_DELAY_MS) ssf.retryMaxDelayMs = env.IDP_SSF_RETRY_MAX_DELAY_MS;
  if (env.IDP_SSF_MAX_DELIVERY_AGE_SECONDS) ssf.maxDeliveryAgeSeconds = env.IDP_SSF_MAX_DELIVERY_AGE_SECONDS;
  if (env.IDP_DEMO_SSF_RECEIVER_TOKEN) ssf.demoReceiverToken = env.IDP_DEMO_SSF_RECEIVER_TOKEN;
  input.ssf = ssf;
  if (env.IDP_SEED_DEMO !== undefined) input.seedDemo = env.IDP_SEED_DEMO;
  if (env.EMA_DEV_ALLOW_INSECURE_LOOPBACK !== undefined) {
    input.allowInsecureLoopback = env.EMA_DEV_ALLOW_INSECURE_LOOPBACK;
  }
  return input;
}

// Values stay strings here: config validation parses them, so a bad value fails with the option path.
function set(
  input: IdpConfigInput,
  key: Exclude<keyof IdpConfigInput, 'demo' | 'ssf'>,
  value: string | undefined,
): void {
  if (value !== undefined && value !== '') input[key] = value;
}
