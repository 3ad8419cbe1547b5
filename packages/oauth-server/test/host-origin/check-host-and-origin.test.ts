import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, hostOriginPolicy } from '../../src/index.js';

const post = (host: string | undefined, origin?: string) => ({ method: 'POST', host, origin });
const get = (host: string | undefined, origin?: string) => ({ method: 'GET', host, origin });

describe('checkHostAndOrigin', () => {
  const production = hostOriginPolicy('https://as.example.com/tenant-a', {
    allowedHosts: ['as.internal:8443'],
    allowedOrigins: ['https://console.example.com'],
  });

  it("[KIT-HOST-ORIGIN-CHECK] accepts the public URL's host (with or without its default port) and configured extras", () => {
    for (const host of ['as.example.com', 'AS.Example.COM', 'as.example.com:443', 'as.internal:8443']) {
      expect(checkHostAndOrigin(get(host), production), host).toBeUndefined();
    }
  });

  it('[KIT-HOST-ORIGIN-CHECK] refuses a rebound name, another port, a loopback name of a public server, and no Host', () => {
    for (const host of ['attacker.example', 'as.example.com:8443', 'as.example.com.', 'localhost:3200', '127.0.0.1']) {
      expect(checkHostAndOrigin(get(host), production), host).toBe('host_not_allowed');
    }
    expect(checkHostAndOrigin(get(undefined), production)).toBe('host_missing');
    expect(checkHostAndOrigin(get(''), production)).toBe('host_missing');
  });

  it('[KIT-HOST-ORIGIN-CHECK] refuses a foreign or opaque Origin on state-changing methods only', () => {
    expect(checkHostAndOrigin(post('as.example.com', 'https://as.example.com'), production)).toBeUndefined();
    expect(checkHostAndOrigin(post('as.example.com', 'https://console.example.com'), production)).toBeUndefined();
    expect(checkHostAndOrigin(post('as.example.com'), production)).toBeUndefined();
    for (const origin of ['https://attacker.example', 'http://as.example.com', 'null', 'https://as.example.com:8443']) {
      expect(checkHostAndOrigin(post('as.example.com', origin), production), origin).toBe('origin_not_allowed');
      expect(checkHostAndOrigin({ ...post('as.example.com', origin), method: 'DELETE' }, production), origin).toBe(
        'origin_not_allowed',
      );
      expect(checkHostAndOrigin(get('as.example.com', origin), production), origin).toBeUndefined();
    }
    expect(
      checkHostAndOrigin(get('as.example.com', 'https://attacker.example'), production, { originOnEveryMethod: true }),
    ).toBe('origin_not_allowed');
  });

  it('[KIT-HOST-ORIGIN-CHECK] on a loopback public URL, accepts every loopback name and its own origin, nothing else', () => {
    const demo = hostOriginPolicy('http://localhost:3200');
    for (const host of ['localhost:3200', '127.0.0.1:3200', '[::1]:3200', 'localhost:80', '127.0.0.1:54321']) {
      expect(checkHostAndOrigin(get(host), demo), host).toBeUndefined();
    }
    for (const host of ['attacker.example:3200', 'localhost.attacker.example:3200', '127.0.0.2:3200']) {
      expect(checkHostAndOrigin(get(host), demo), host).toBe('host_not_allowed');
    }
    expect(checkHostAndOrigin(post('127.0.0.1:3200', 'http://127.0.0.1:3200'), demo)).toBeUndefined();
    expect(checkHostAndOrigin(post('127.0.0.1:3200', 'http://localhost:3200'), demo)).toBeUndefined();
    // Another app on this machine (the agent host's origin) is a foreign origin.
    expect(checkHostAndOrigin(post('localhost:3200', 'http://localhost:3000'), demo)).toBe('origin_not_allowed');
    expect(checkHostAndOrigin(post('localhost:3200', 'http://attacker.example'), demo)).toBe('origin_not_allowed');
  });
});
