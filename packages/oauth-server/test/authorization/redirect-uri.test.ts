import { describe, expect, it } from 'vitest';
import { matchRedirectUri, redirectUriProblem } from '../../src/index.js';

describe('redirect URI matching', () => {
  it('[KIT-RFC9700-2.1-EXACT-REDIRECT] matches registered redirect URIs by exact string comparison only', () => {
    const registered = ['https://app.example.com/callback'];
    expect(matchRedirectUri(registered, 'https://app.example.com/callback')).toBe(true);
    for (const presented of [
      'https://app.example.com/callback/',
      'https://app.example.com/Callback',
      'https://APP.example.com/callback',
      'https://app.example.com/callback?x=1',
      'https://app.example.com:443/callback',
      'https://app.example.com/./callback',
      'https://app.example.com.evil.example/callback',
    ]) {
      expect(matchRedirectUri(registered, presented)).toBe(false);
    }
  });

  it('[KIT-RFC8252-7.3-LOOPBACK-ANY-PORT] accepts any port for a registered loopback IP redirect URI, nothing else varying', () => {
    const registered = ['http://127.0.0.1/callback', 'http://[::1]:8080/cb?x=1'];
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/callback')).toBe(true);
    expect(matchRedirectUri(registered, 'http://127.0.0.1/callback')).toBe(true);
    expect(matchRedirectUri(registered, 'http://[::1]:1/cb?x=1')).toBe(true);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/callback2')).toBe(false);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/Callback')).toBe(false);
    expect(matchRedirectUri(registered, 'http://[::1]:1/cb?x=2')).toBe(false);
    expect(matchRedirectUri(registered, 'https://127.0.0.1:51234/callback')).toBe(false);
    expect(matchRedirectUri(registered, 'http://127.0.0.1:8080@evil.example/callback')).toBe(false);
  });

  it('[KIT-RFC8252-7.3-LOOPBACK-ANY-PORT] matches a localhost redirect URI exactly, port included (RFC 8252 §8.3)', () => {
    const registered = ['http://localhost:3000/callback'];
    expect(matchRedirectUri(registered, 'http://localhost:3000/callback')).toBe(true);
    expect(matchRedirectUri(registered, 'http://localhost:3001/callback')).toBe(false);
  });

  it('[KIT-MCP-AUTH-REDIRECT-URI-HTTPS-OR-LOOPBACK] registers only https or loopback http redirect URIs without fragments', () => {
    expect(redirectUriProblem('https://app.example.com/cb')).toBeUndefined();
    expect(redirectUriProblem('http://127.0.0.1/cb')).toBeUndefined();
    expect(redirectUriProblem('http://[::1]:3000/cb')).toBeUndefined();
    expect(redirectUriProblem('http://localhost:3000/cb')).toBeUndefined();
    expect(redirectUriProblem('http://app.example.com/cb')).toBe('must use https, or http on a loopback address');
    expect(redirectUriProblem('com.example.app:/cb')).toBe('must use https, or http on a loopback address');
    expect(redirectUriProblem('https://app.example.com/cb#x')).toBe('must not have a fragment');
    expect(redirectUriProblem('https://user:pw@app.example.com/cb')).toBe('must not carry user information');
    expect(redirectUriProblem('/cb')).toBe('is not an absolute URI');
  });
});
