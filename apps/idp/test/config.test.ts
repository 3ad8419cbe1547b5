import { ConfigError } from '@ema/oauth-server/runtime';
import { describe, expect, it } from 'vitest';
import { loadIdpConfig } from '../src/config.js';
import { readIdpEnv } from '../src/env.js';

describe('configuration', () => {
  it('[IDP-CONFIG-FAIL-FAST] fails with the option path for a bad value', () => {
    expect(() => loadIdpConfig({ issuer: 'http://localhost:3100' })).toThrow(ConfigError);
    expect(() => loadIdpConfig({ issuer: 'http://localhost:3100' })).toThrow(/^issuer: /);
    expect(() => loadIdpConfig({ issuer: 'http://idp.example', allowInsecureLoopback: true })).toThrow(
      /^issuer: must use https/,
    );
    expect(() => loadIdpConfig({ issuer: 'https://idp.example/' })).toThrow('issuer: must not end with a slash');
    expect(() => loadIdpConfig({ issuer: 'https://idp.example', idJagTtlSeconds: '901' })).toThrow(
      /^idJagTtlSeconds: /,
    );
    expect(() => loadIdpConfig({ issuer: 'https://idp.example', adminApiToken: 'short' })).toThrow(/^adminApiToken: /);
    expect(() => loadIdpConfig({ issuer: 'https://idp.example', port: 'eighty' })).toThrow(/^port: /);
  });

  it('[IDP-PG-APP] reads IDP_DATABASE_URL (unset: SQLite) and refuses another scheme without echoing the value', () => {
    const url = 'postgres://idp:s3cret@db.example:5432/ema';
    const issuer = 'https://idp.example';
    expect(loadIdpConfig({ ...readIdpEnv({ IDP_DATABASE_URL: url }), issuer }).databaseUrl).toBe(url);
    expect(loadIdpConfig({ ...readIdpEnv({}), issuer }).databaseUrl).toBeUndefined();
    const refused = () => loadIdpConfig({ issuer, databaseUrl: 'mysql://idp:s3cret@db.example/ema' });
    expect(refused).toThrow(/^databaseUrl: /);
    expect(refused).not.toThrow(/s3cret/);
  });

  it('reads IDP_* variables and applies the docs/demo-world.md defaults', () => {
    const config = loadIdpConfig(
      readIdpEnv({
        IDP_PORT: '4100',
        IDP_ID_JAG_TTL_SECONDS: '120',
        EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
        IDP_SEED_DEMO: '0',
        IDP_DATA_DIR: '/tmp/x',
      }),
    );
    expect(config).toMatchObject({
      port: 4100,
      issuer: 'http://localhost:3100',
      idJagTtlSeconds: 120,
      idTokenTtlSeconds: 600,
      seedDemo: false,
      allowInsecureLoopback: true,
      dataDir: '/tmp/x',
      demo: {
        agentHostUrl: 'http://localhost:3000',
        rasIssuer: 'http://localhost:3200',
        mcpResource: 'http://localhost:3300/mcp',
      },
    });
  });
});
