import { ConfigError } from '@ema/oauth-server/runtime';
import { describe, expect, it } from 'vitest';
import { defaultConfig, demoRegistry, loadRasConfig } from '../src/config.js';
import { configFromEnv } from '../src/env.js';

const secure = {
  issuer: 'https://ras.example',
  trustedIdps: [{ issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks.json', algorithms: ['ES256'] }],
  // The resource's Security Event receiver is a URL this RAS posts to: https too.
  ...demoRegistry('https://mcp.example/mcp'),
};

describe('configuration', () => {
  it('[RAS-CONFIG-FAIL-FAST] defaults to the demo world of docs/demo-world.md', () => {
    const config = loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/ras-config-test' });
    expect(config).toMatchObject({
      port: 3200,
      issuer: 'http://localhost:3200',
      accessTokenTtlSeconds: 900,
      maxIdJagLifetimeSeconds: 900,
      clockToleranceSeconds: 30,
      jitProvisioning: true,
      jwksStaleIfErrorSeconds: 3600,
      trustedIdps: [{ issuer: 'http://localhost:3100', jwksUri: 'http://localhost:3100/jwks', algorithms: ['ES256'] }],
      resources: [{ resource: 'http://localhost:3300/mcp', scopes: ['tickets.read', 'tickets.write'] }],
      clients: [{ clientId: 'acme-agent-host', secret: 'acme-agent-host-dev-secret' }],
    });
  });

  it('[RAS-TRANSPORT-SECURITY] refuses http URLs unless loopback with the named opt-out', () => {
    expect(() => loadRasConfig({ dataDir: '/tmp/x' })).toThrow(ConfigError);
    expect(() => loadRasConfig({ dataDir: '/tmp/x' })).toThrow(/^issuer: /);
    expect(() => loadRasConfig({ ...secure, issuer: 'http://ras.example', allowInsecureLoopback: true })).toThrow(
      /^issuer: /,
    );
    expect(() =>
      loadRasConfig({
        ...secure,
        trustedIdps: [
          {
            ...defaultConfig.trustedIdps[0],
            issuer: 'http://idp.example',
            jwksUri: 'https://idp.example/j',
            algorithms: ['ES256'],
          },
        ],
      }),
    ).toThrow(/^trustedIdps\[0\]\.issuer: /);
    expect(loadRasConfig({ ...secure, dataDir: '/tmp/x' }).issuer).toBe('https://ras.example');
  });

  it('[RAS-CONFIG-FAIL-FAST] names the bad option', () => {
    const cases: Array<[Parameters<typeof loadRasConfig>[0], RegExp]> = [
      [{ issuer: 'https://ras.example/' }, /^issuer: must not end with a slash/],
      [{ accessTokenTtlSeconds: 0 }, /^accessTokenTtlSeconds: /],
      [{ clockToleranceSeconds: 1000 }, /^clockToleranceSeconds: /],
      [{ adminApiToken: 'short' }, /^adminApiToken: /],
      [{ jwksStaleIfErrorSeconds: -1 }, /^jwksStaleIfErrorSeconds: /],
      [
        {
          trustedIdps: [
            { issuer: 'https://ras.example', jwksUri: 'https://ras.example/jwks.json', algorithms: ['ES256'] },
          ],
        },
        /^trustedIdps\[0\]\.issuer: must not be this server's own issuer/,
      ],
      [
        { trustedIdps: [{ issuer: 'https://idp.example', jwksUri: 'https://idp.example/j', algorithms: ['HS256'] }] },
        /^trustedIdps\[0\]\.algorithms: /,
      ],
      [
        { trustedIdps: [{ issuer: 'https://idp.example', jwksUri: 'https://idp.example/j', algorithms: ['none'] }] },
        /^trustedIdps\[0\]\.algorithms: /,
      ],
      [
        { resources: [{ resource: 'https://mcp.example/mcp', name: 'x', scopes: ['openid'] }], clients: [] },
        /^resources\[0\]\.scopes: openid/,
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => loadRasConfig({ ...secure, dataDir: '/tmp/x', ...input })).toThrow(message);
    }
  });

  it('[RAS-ADMIN-API-AUTH] [DEV-SECRETS-GENERATED] generates the admin token at each boot, only under the loopback opt-out, when none is set', () => {
    const first = loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/x' });
    const second = loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/x' });
    expect(first.adminApiToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.adminApiTokenGenerated).toBe(true);
    expect(second.adminApiToken).not.toBe(first.adminApiToken);
    // The token of the published development default is gone for good.
    expect(first.adminApiToken).not.toBe('ras-admin-dev-token-for-loopback-only');
    expect(loadRasConfig({ ...secure, dataDir: '/tmp/x' }).adminApiToken).toBeNull();
    const disabled = loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/x', adminApiToken: null });
    expect(disabled.adminApiToken).toBeNull();
    expect(disabled.adminApiTokenGenerated).toBe(false);
    const configured = loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/x', adminApiToken: 'a'.repeat(40) });
    expect(configured.adminApiTokenGenerated).toBe(false);
  });

  it('[RAS-SSF-CONFIG] derives the demo receiver from the resource, refuses http for it, and has no SSF token unless one is configured, not even under the opt-out', () => {
    expect(loadRasConfig({ allowInsecureLoopback: true, dataDir: '/tmp/x' })).toMatchObject({
      resources: [{ resource: 'http://localhost:3300/mcp', eventsEndpoint: 'http://localhost:3300/ssf/events' }],
      ssfTransmitterToken: null,
      ssfMaxEventAgeSeconds: 300,
      ssfRetryMaxDelayMs: 5000,
    });
    expect(loadRasConfig({ ...secure, dataDir: '/tmp/x' })).toMatchObject({
      resources: [{ eventsEndpoint: 'https://mcp.example/ssf/events' }],
      ssfTransmitterToken: null,
    });
    expect(() =>
      loadRasConfig({
        ...secure,
        dataDir: '/tmp/x',
        ...demoRegistry('https://mcp.example/mcp', 'http://mcp.example/e'),
      }),
    ).toThrow(/^resources\[0\]\.eventsEndpoint: /);
    const configured = 'c'.repeat(43);
    expect(loadRasConfig({ ...secure, dataDir: '/tmp/x', ssfTransmitterToken: configured }).ssfTransmitterToken).toBe(
      configured,
    );
    expect(() => loadRasConfig({ ...secure, dataDir: '/tmp/x', ssfTransmitterToken: 'short' })).toThrow(
      /^ssfTransmitterToken: /,
    );
  });

  it('reads the RAS_* environment variables', () => {
    const input = configFromEnv({
      RAS_PORT: '4200',
      RAS_ISSUER: 'https://ras.example',
      RAS_ACCESS_TOKEN_TTL_SECONDS: '60',
      RAS_JIT_PROVISIONING: 'false',
      RAS_JWKS_STALE_IF_ERROR_SECONDS: '120',
      RAS_TRUSTED_IDP_ISSUER: 'https://idp.example',
      RAS_ADMIN_API_TOKEN: 'a'.repeat(40),
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      RAS_DEMO_MCP_RESOURCE: 'http://localhost:4300/mcp',
    });
    expect(input).toMatchObject({
      port: 4200,
      issuer: 'https://ras.example',
      accessTokenTtlSeconds: 60,
      jitProvisioning: false,
      jwksStaleIfErrorSeconds: 120,
      adminApiToken: 'a'.repeat(40),
      allowInsecureLoopback: true,
      trustedIdps: [{ issuer: 'https://idp.example', jwksUri: 'https://idp.example/jwks', algorithms: ['ES256'] }],
      resources: [{ resource: 'http://localhost:4300/mcp' }],
      clients: [{ clientId: 'acme-agent-host', grants: [{ resource: 'http://localhost:4300/mcp' }] }],
    });
    expect(configFromEnv({}).adminApiToken).toBeUndefined();
    expect(() => configFromEnv({ RAS_PORT: 'eighty' })).toThrow(/^RAS_PORT: /);
  });

  it('[RAS-PG-APP] [RAS-CONFIG-FAIL-FAST] RAS_DATABASE_URL selects PostgreSQL; unset stays on SQLite; a URL that is not postgres:// is refused without echoing it', () => {
    const base = { allowInsecureLoopback: true, dataDir: '/tmp/ras-config-test' };
    expect(loadRasConfig(base).databaseUrl).toBeUndefined();
    const url = 'postgres://ras:secret@db.example:5432/ema';
    expect(configFromEnv({ RAS_DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadRasConfig({ ...base, databaseUrl: url }).databaseUrl).toBe(url);
    const refused = () => loadRasConfig({ ...base, databaseUrl: 'mysql://ras:hunter2@db.example/ema' });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/^databaseUrl: must be a postgres:\/\/ or postgresql:\/\/ URL$/);
  });
});
