import { InvalidRequestError, InvalidTokenError } from '@ema/oauth-server';
import { describe, expect, it } from 'vitest';
import { extractBearerToken } from '../src/bearer-token.js';
import { NoBearerTokenError } from '../src/no-bearer-token-error.js';

describe('extractBearerToken', () => {
  it('returns the b64token of a Bearer header, the scheme in any case, after one or more spaces (RFC 6750 §2.1)', () => {
    for (const authorization of ['Bearer abc.DEF-_~+/=', 'bearer  abc.DEF-_~+/=', '  BEARER abc.DEF-_~+/=  ']) {
      expect(extractBearerToken({ authorization, url: '/mcp' })).toBe('abc.DEF-_~+/=');
    }
  });

  it('[MCP-AUTH-401-CHALLENGE] treats no header, an empty one or another scheme as no bearer token', () => {
    for (const authorization of [undefined, null, '', 'Basic YWxpY2U6cGFzc3dvcmQ=', 'DPoP abc', 'Bearerabc']) {
      expect(() => extractBearerToken({ authorization, url: '/mcp' })).toThrow(NoBearerTokenError);
    }
    expect(new NoBearerTokenError().code).toBe('ERR_NO_BEARER_TOKEN');
  });

  it('[MCP-RFC6750-3.1-INVALID-TOKEN] refuses Bearer credentials that are not exactly one b64token', () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a, Basic b', 'Bearer a=b', 'Bearer é']) {
      expect(() => extractBearerToken({ authorization, url: '/mcp' })).toThrow(InvalidTokenError);
    }
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] refuses access_token in the query, with or without a header, relative or absolute URL', () => {
    for (const url of [
      '/mcp?access_token=abc',
      '/mcp?a=1&access_token=',
      'https://tickets.example/mcp?access_token=x',
    ]) {
      for (const authorization of [undefined, 'Bearer abc']) {
        const refusal = (): string => extractBearerToken({ authorization, url });
        expect(refusal).toThrow(InvalidRequestError);
        expect(refusal).toThrow('Access tokens are accepted only in the Authorization header');
      }
    }
    expect(extractBearerToken({ authorization: 'Bearer abc', url: '/mcp?token=1&access_tokens=2' })).toBe('abc');
  });
});
