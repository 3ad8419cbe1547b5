import { describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  checkTransportSecurity,
  INSECURE_LOOPBACK_OPT_OUT,
  warnInsecureOptOut,
} from '../../src/runtime.js';

const strict = { allowInsecureLoopback: false };
const optOut = { allowInsecureLoopback: true };

describe('checkTransportSecurity', () => {
  it('[KIT-PROFILE-TRANSPORT-HTTPS] accepts https everywhere', () => {
    expect(() => checkTransportSecurity('https://idp.example.com', 'issuer', strict)).not.toThrow();
  });

  it('[KIT-PROFILE-TRANSPORT-HTTPS] accepts http only for loopback hosts with the named opt-out', () => {
    for (const url of [
      'http://localhost:3100',
      'http://127.0.0.1:3200',
      'http://[::1]:3300/mcp',
      'http://a.localhost',
    ]) {
      expect(() => checkTransportSecurity(url, 'issuer', optOut), url).not.toThrow();
      expect(() => checkTransportSecurity(url, 'issuer', strict), url).toThrow(ConfigError);
    }
    expect(() => checkTransportSecurity('http://localhost', 'issuer', strict)).toThrow(INSECURE_LOOPBACK_OPT_OUT);
  });

  it('[KIT-PROFILE-TRANSPORT-HTTPS] refuses http for other hosts even with the opt-out, and non-URLs', () => {
    expect(() => checkTransportSecurity('http://idp.example.com', 'issuer', optOut)).toThrow(/^issuer: must use https/);
    expect(() => checkTransportSecurity('http://localhost.evil.com', 'issuer', optOut)).toThrow(ConfigError);
    expect(() => checkTransportSecurity('http://127.0.0.1.nip.io', 'issuer', optOut)).toThrow(ConfigError);
    expect(() => checkTransportSecurity('not a url', 'trustedIssuers[0].jwksUri', optOut)).toThrow(
      'trustedIssuers[0].jwksUri: must be a URL',
    );
    expect(() => checkTransportSecurity('ftp://localhost', 'issuer', optOut)).toThrow(ConfigError);
  });

  it('warns loudly, naming the opt-out', () => {
    const warn = vi.fn();
    warnInsecureOptOut({ warn }, 'idp');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(INSECURE_LOOPBACK_OPT_OUT));
    expect(INSECURE_LOOPBACK_OPT_OUT).toBe('EMA_DEV_ALLOW_INSECURE_LOOPBACK');
  });

  it('ConfigError is an Error with its own name', () => {
    const error = new ConfigError('port: must be an integer');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
  });
});
