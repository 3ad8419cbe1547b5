import { MEDIA_TYPE_FORM } from '@ema/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleTokenRequest, OAuthError, parseFormBody } from '../../src/index.js';
import { basic, findClient } from '../fixtures.js';
import { echoGrant, refusingGrant } from './grants.js';

const formish = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'assertion', '%', '+', '__proto__'),
        fc.oneof(fc.string(), fc.constantFrom('urn:test:echo', 'simple', 'simple-secret', '%E0%A4%A', '%')),
      ),
      { maxLength: 8 },
    )
    .map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&')),
);

const authorization = fc.option(
  fc.oneof(
    fc.string(),
    fc.string().map((value) => `Basic ${value}`),
    fc.string().map((value) => `Basic ${Buffer.from(value).toString('base64')}`),
    fc.constant(basic('simple', 'simple-secret')),
  ),
  { nil: undefined },
);

const contentType = fc.option(
  fc.oneof(fc.string(), fc.constant(MEDIA_TYPE_FORM), fc.constant(`${MEDIA_TYPE_FORM}; charset=utf-8`)),
  { nil: undefined },
);

describe('token endpoint parser (property-based)', () => {
  it('[KIT-RFC6749-5.2-ERROR-BODY] parseFormBody only ever returns a map or throws an OAuth invalid_request', () => {
    fc.assert(
      fc.property(formish, (body) => {
        try {
          const params = parseFormBody(body);
          for (const [name, value] of params) {
            expect(typeof name).toBe('string');
            expect(typeof value).toBe('string');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(OAuthError);
          expect((error as OAuthError).error).toBe('invalid_request');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('[KIT-PROFILE-ERROR-NO-LEAK] handleTokenRequest answers random input with a 2xx or an OAuth 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(fc.constantFrom('POST', 'GET', 'PUT', 'post'), { nil: undefined }),
        contentType,
        authorization,
        formish,
        async (method, type, auth, body) => {
          const input =
            method === undefined
              ? { contentType: type, authorization: auth, body }
              : { method, contentType: type, authorization: auth, body };
          const result = await handleTokenRequest(input, { grants: [echoGrant, refusingGrant], findClient });
          expect(result.headers['Cache-Control']).toBe('no-store');
          if (result.status === 200) return;
          expect(result.status).toBeGreaterThanOrEqual(400);
          expect(result.status).toBeLessThan(500);
          expect(typeof (result.body as { error: unknown }).error).toBe('string');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
