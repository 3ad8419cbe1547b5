import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoBanner } from '../src/banner.js';
import { demoStack } from '../src/demo-stack.js';
import { DEMO_ROLES } from '../src/roles.js';

describe('demoStack', () => {
  it('starts the four roles in order: the IdP, the RAS, the MCP server, the agent host', () => {
    const apps = demoStack({ env: {}, dataRoot: '/data', mode: 'source' });
    expect(apps.map((app) => [app.spec.name, app.spec.url])).toEqual([
      ['idp', 'http://localhost:3100'],
      ['authorization-server', 'http://localhost:3200'],
      ['mcp-server', 'http://localhost:3300'],
      ['agent-host', 'http://localhost:3000'],
    ]);
    expect(apps.map((app) => app.role)).toEqual(DEMO_ROLES);
  });

  it('gives each app production mode, the loopback opt-out and a data directory under the data root by default', () => {
    const [idp] = demoStack({ env: { PATH: '/bin', IDP_LOG_LEVEL: 'warn' }, dataRoot: '/data', mode: 'source' });
    expect(idp?.spec.env).toEqual({
      PATH: '/bin',
      IDP_LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      IDP_DATA_DIR: join('/data', 'idp'),
    });
  });

  it('keeps what the environment sets: data directory, NODE_ENV, the opt-out, the port', () => {
    const env = {
      RAS_DATA_DIR: '/elsewhere',
      NODE_ENV: 'development',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '0',
      RAS_PORT: '4200',
    };
    const ras = demoStack({ env, dataRoot: '/data', mode: 'source' })[1];
    expect(ras?.spec.env).toMatchObject(env);
    expect(ras?.spec.url).toBe('http://localhost:4200');
    expect(ras?.address.publicUrl).toBe('http://localhost:3200');
  });
});

describe('demoBanner', () => {
  it('names every URL, the demo accounts, the data root and the loopback opt-out', () => {
    const env = { MCP_RESOURCE: 'http://localhost:3300/mcp', IDP_ISSUER: 'http://localhost:3100' };
    const banner = demoBanner(demoStack({ env, dataRoot: '/data/demo', mode: 'source' }), '/data/demo');
    expect(banner).toContain('Open the agent host:        http://localhost:3000');
    expect(banner).toContain('IdP (admin console):        http://localhost:3100/admin');
    expect(banner).toContain('Authorization server:       http://localhost:3200');
    expect(banner).toContain('MCP server "Acme Tickets":  http://localhost:3300/mcp');
    for (const account of [
      'alice / alice-password',
      'bob   / bob-password',
      'carol / carol-password',
      'admin / admin-password',
    ]) {
      expect(banner).toContain(account);
    }
    expect(banner).toContain('EMA_DEV_ALLOW_INSECURE_LOOPBACK=1');
    expect(banner).toContain('Data: /data/demo    Press Ctrl-C to stop.');
  });

  it('says nothing of the opt-out when it is off', () => {
    const apps = demoStack({ env: { EMA_DEV_ALLOW_INSECURE_LOOPBACK: '0' }, dataRoot: '/d', mode: 'source' });
    expect(demoBanner(apps, '/d')).not.toContain('EMA_DEV_ALLOW_INSECURE_LOOPBACK');
  });
});
