import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, checkTrustedProxies, trustProxyOption } from '../../src/runtime.js';

describe('trusted proxies', () => {
  it('accepts IP addresses and CIDR blocks of both families', () => {
    expect(() => checkTrustedProxies(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'], 'trustedProxies')).not.toThrow();
  });

  it.each(['localhost', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '10.0.0/8', ''])('refuses %j', (proxy) => {
    expect(() => checkTrustedProxies(['127.0.0.1', proxy], 'trustedProxies')).toThrow(
      new ConfigError('trustedProxies[1]: must be an IP address or CIDR block'),
    );
  });

  it('[KIT-TRUSTED-PROXIES] believes X-Forwarded-For only from a named proxy, and none by default', async () => {
    const seen = async (proxies: readonly string[], remoteAddress: string) => {
      const app = Fastify({ trustProxy: trustProxyOption(proxies) });
      app.get('/ip', async (request) => ({ ip: request.ip }));
      const response = await app.inject({ url: '/ip', remoteAddress, headers: { 'x-forwarded-for': '203.0.113.9' } });
      await app.close();
      return response.json().ip;
    };
    expect(await seen([], '127.0.0.1')).toBe('127.0.0.1');
    expect(await seen(['127.0.0.1'], '127.0.0.1')).toBe('203.0.113.9');
    expect(await seen(['127.0.0.1'], '198.51.100.4')).toBe('198.51.100.4');
  });
});
