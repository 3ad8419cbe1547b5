import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
  InvalidTokenError,
  OAuthError,
  ServerError,
  TemporarilyUnavailableError,
  toOAuthError,
  UnauthorizedClientError,
  UnsupportedGrantTypeError,
  UnsupportedTokenTypeError,
} from '../../src/index.js';

const cases: [new (description?: string) => OAuthError, number, string][] = [
  [InvalidRequestError, 400, 'invalid_request'],
  [InvalidClientError, 401, 'invalid_client'],
  [InvalidGrantError, 400, 'invalid_grant'],
  [UnauthorizedClientError, 400, 'unauthorized_client'],
  [UnsupportedGrantTypeError, 400, 'unsupported_grant_type'],
  [InvalidScopeError, 400, 'invalid_scope'],
  [InvalidTargetError, 400, 'invalid_target'],
  [InsufficientUserAuthenticationError, 400, 'insufficient_user_authentication'],
  [AccessDeniedError, 403, 'access_denied'],
  [InvalidTokenError, 401, 'invalid_token'],
  [InsufficientScopeError, 403, 'insufficient_scope'],
  [UnsupportedTokenTypeError, 400, 'unsupported_token_type'],
  [TemporarilyUnavailableError, 503, 'temporarily_unavailable'],
];

describe('OAuth error classes', () => {
  for (const [ErrorClass, status, code] of cases) {
    it(`[KIT-RFC6749-5.2-ERROR-BODY] ${ErrorClass.name} answers ${status} ${code}`, () => {
      const error = new ErrorClass('the reason');
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toBeInstanceOf(Error);
      expect(error.status).toBe(status);
      expect(error.error).toBe(code);
      expect(error.expose).toBe(true);
      expect(error.toResponseBody()).toEqual({ error: code, error_description: 'the reason' });
      expect(new ErrorClass().toResponseBody()).toEqual({ error: code });
    });
  }

  it('[KIT-PROFILE-ERROR-NO-LEAK] ServerError is 500 and never exposes its description', () => {
    const error = new ServerError('database exploded at /var/lib/x');
    expect(error.status).toBe(500);
    expect(error.expose).toBe(false);
    expect(error.toResponseBody()).toEqual({ error: 'server_error' });
  });

  it('[KIT-RFC6749-5.2-INVALID-CLIENT-401] InvalidClientError adds WWW-Authenticate when Basic was tried', () => {
    expect(new InvalidClientError('x').headers).toEqual({});
    expect(new InvalidClientError('x', { basicRealm: 'ras' }).headers).toEqual({
      'WWW-Authenticate': 'Basic realm="ras"',
    });
  });

  it('[KIT-RFC9470-3-HINTS] InsufficientUserAuthenticationError carries max_age and acr_values', () => {
    const error = new InsufficientUserAuthenticationError('too old', { maxAge: 300, acrValues: 'phr mfa' });
    expect(error.toResponseBody()).toEqual({
      error: 'insufficient_user_authentication',
      error_description: 'too old',
      max_age: 300,
      acr_values: 'phr mfa',
    });
  });

  it('[KIT-RFC6750-3.1-STATUS] bearer errors keep caller headers', () => {
    const error = new InvalidTokenError('expired', { headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    expect(error.status).toBe(401);
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    expect(new InsufficientScopeError().status).toBe(403);
  });

  it('has a stable static code per class', () => {
    expect(InvalidGrantError.code).toBe('invalid_grant');
    expect(ServerError.code).toBe('server_error');
  });

  it('[KIT-PROFILE-ERROR-NO-LEAK] toOAuthError keeps OAuth errors and turns anything else into server_error', () => {
    const known = new InvalidGrantError();
    expect(toOAuthError(known)).toBe(known);
    const wrapped = toOAuthError(new TypeError('secret internals'));
    expect(wrapped).toBeInstanceOf(ServerError);
    expect(wrapped.toResponseBody()).toEqual({ error: 'server_error' });
    expect(wrapped.cause).toBeInstanceOf(TypeError);
    expect(toOAuthError('a string').error).toBe('server_error');
  });
});

describe('error_description charset', () => {
  it('[KIT-RFC6749-5.2-DESCRIPTION-CHARSET] keeps client-quoted text within the RFC 6749 §5.2 charset', () => {
    const error = new InvalidRequestError('parameter "sc\\ope\u00e9\n" is repeated');
    expect(error.toResponseBody()).toEqual({
      error: 'invalid_request',
      error_description: "parameter 'sc?ope??' is repeated",
    });
  });
});
