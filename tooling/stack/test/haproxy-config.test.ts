import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haproxyExecutable } from '../src/balancer-process.js';
import { type BalancedService, haproxyConfig } from '../src/haproxy-config.js';

const services: BalancedService[] = [
  {
    name: 'idp',
    port: 3100,
    instances: [
      { name: 'idp-1', port: 3101 },
      { name: 'idp-2', port: 3102 },
    ],
    healthPath: '/healthz',
  },
  {
    name: 'mcp-server',
    port: 3300,
    instances: [
      { name: 'mcp-server-1', port: 3301 },
      { name: 'mcp-server-2', port: 3302 },
    ],
    healthPath: '/healthz',
    stickyHeader: 'Mcp-Session-Id',
  },
];

describe('haproxyConfig', () => {
  it('puts each role behind its public port, its instances checked on their health path', () => {
    const config = haproxyConfig(services, { ipv6: true });
    expect(config).toContain('frontend idp\n  bind 127.0.0.1:3100\n  bind [::1]:3100\n  default_backend idp\n');
    expect(config).toContain('  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost\n');
    expect(config).toContain('  server idp-1 127.0.0.1:3101 check\n  server idp-2 127.0.0.1:3102 check\n');
    expect(haproxyConfig(services, { ipv6: false })).not.toContain('[::1]');
  });

  it('retries only requests that never reached an instance: a token request is not idempotent', () => {
    const config = haproxyConfig(services, { ipv6: false });
    expect(config).toContain('  retry-on conn-failure\n');
    expect(config).toContain('  option redispatch\n');
    expect(config).not.toMatch(/retry-on .*(empty-response|response-timeout|all-retryable-errors)/);
  });

  it('sticks MCP sessions to the instance that opened them, and no other role', () => {
    const config = haproxyConfig(services, { ipv6: false });
    const [idp, mcp] = config.split('\nbackend mcp-server\n');
    expect(mcp).toContain('  stick match req.hdr(mcp-session-id)\n');
    expect(mcp).toContain('  stick store-response res.hdr(mcp-session-id)\n');
    expect(idp).not.toContain('stick');
  });

  it('is a configuration HAProxy itself accepts (haproxy -c)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ema-haproxy-'));
    try {
      const file = join(dir, 'haproxy.cfg');
      writeFileSync(file, haproxyConfig(services, { ipv6: false }));
      const check = spawnSync(haproxyExecutable(process.env), ['-c', '-q', '-f', file], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
