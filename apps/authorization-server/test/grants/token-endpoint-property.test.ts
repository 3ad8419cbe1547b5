import { GRANT_TYPE_JWT_BEARER, MEDIA_TYPE_FORM, TYP_ID_JAG } from '@ema/protocol';
import fc from 'fast-check';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, form, type Rig, startRas } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, RAS_ISSUER, RESOURCE } from '../support/test-idp.js';

// RFC 6749 §5.2 and the extension codes this endpoint may answer with (RFC 8707 invalid_target).
const RFC_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
]);

const text = fc.string({ maxLength: 40 });
const anyJson = fc.jsonValue({ maxDepth: 2 });

// A claim value that is either plausible or of a random shape (the "non-string jti" pitfall).
const claim = (plausible: fc.Arbitrary<unknown>) => fc.oneof(plausible, anyJson, fc.constant(undefined));

function randomClaims(now: number) {
  return fc.record({
    iss: claim(fc.constantFrom(IDP_ISSUER, RAS_ISSUER, `${IDP_ISSUER}/`)),
    sub: claim(fc.constantFrom('idp-user-alice', '')),
    aud: claim(fc.constantFrom(RAS_ISSUER, [RAS_ISSUER], [RAS_ISSUER, 'x'], `${RAS_ISSUER}/`)),
    client_id: claim(fc.constantFrom(CLIENT_ID, 'other')),
    jti: claim(fc.uuid()),
    iat: claim(fc.integer({ min: now - 2000, max: now + 2000 })),
    exp: claim(fc.integer({ min: now - 2000, max: now + 2000 })),
    nbf: claim(fc.integer({ min: now - 2000, max: now + 2000 })),
    resource: claim(fc.constantFrom(RESOURCE, [RESOURCE], 'http://elsewhere.example/mcp')),
    scope: claim(fc.constantFrom('tickets.read', 'openid offline_access', 'tickets.read tickets.write', '')),
  });
}

const header = fc.record({
  alg: claim(fc.constantFrom('ES256', 'none', 'HS256', 'RS256')),
  typ: claim(fc.constantFrom(TYP_ID_JAG, 'JWT', 'at+jwt')),
  kid: claim(fc.constantFrom('unknown-kid')),
  crit: fc.option(fc.constant(['exp']), { nil: undefined }),
});

const strip = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));

describe('token endpoint (property)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRas();
  });
  afterAll(async () => rig.app.close());

  function assertion(): fc.Arbitrary<Promise<string> | string> {
    const now = rig.clock.seconds;
    return fc.oneof(
      text,
      // Unsigned garbage with random JSON header and payload.
      fc
        .tuple(anyJson, anyJson, text)
        .map(([h, p, s]) => `${base64url.encode(JSON.stringify(h))}.${base64url.encode(JSON.stringify(p))}.${s}`),
      // Properly signed by the trusted IdP, with random claims: may succeed, must never crash.
      randomClaims(now).map((claims) =>
        new SignJWT(strip(claims) as Record<string, unknown>)
          .setProtectedHeader({ alg: 'ES256', kid: rig.idp.current.signer.kid, typ: TYP_ID_JAG })
          .sign(rig.idp.current.signer.privateKey),
      ),
      // A forged header over random claims, unsigned.
      fc
        .tuple(header, randomClaims(now))
        .map(
          ([h, claims]) =>
            `${base64url.encode(JSON.stringify(strip(h)))}.${base64url.encode(JSON.stringify(strip(claims)))}.`,
        ),
    );
  }

  it('[RAS-PROPERTY-TOKEN-ENDPOINT] answers any form body and any assertion with an RFC 6749 body, never a 500', async () => {
    const parameter = fc.tuple(
      fc.constantFrom('grant_type', 'assertion', 'scope', 'resource', 'client_id', 'client_secret', 'x'),
      fc.oneof(text, fc.constantFrom(GRANT_TYPE_JWT_BEARER, CLIENT_ID, CLIENT_SECRET, RESOURCE)),
    );
    const request = fc.record({
      assertion: assertion(),
      extra: fc.array(parameter, { maxLength: 6 }),
      auth: fc.constantFrom('basic', 'post', 'none', 'wrong', 'garbage'),
      contentType: fc.constantFrom(MEDIA_TYPE_FORM, MEDIA_TYPE_FORM, 'application/json', 'text/plain'),
      includeGrant: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const params: Array<readonly [string, string]> = [];
        if (input.includeGrant) params.push(['grant_type', GRANT_TYPE_JWT_BEARER]);
        params.push(['assertion', await input.assertion], ...input.extra);
        const headers: Record<string, string> = { 'content-type': input.contentType };
        if (input.auth === 'basic') headers.authorization = basic(CLIENT_ID, CLIENT_SECRET);
        if (input.auth === 'wrong') headers.authorization = basic(CLIENT_ID, 'wrong');
        if (input.auth === 'garbage') headers.authorization = 'Basic !!!';
        if (input.auth === 'post') params.push(['client_id', CLIENT_ID], ['client_secret', CLIENT_SECRET]);
        const response = await rig.app.inject({ method: 'POST', url: '/token', headers, payload: form(params) });
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['cache-control']).toBe('no-store');
        const body = response.json<Record<string, unknown>>();
        if (response.statusCode === 200) {
          expect(body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
          expect(body).not.toHaveProperty('refresh_token');
          return;
        }
        expect(RFC_ERRORS.has(String(body.error))).toBe(true);
        expect(Object.keys(body).every((key) => key === 'error' || key === 'error_description')).toBe(true);
        // ID-JAG §4.4.1: an assertion failure is the bare invalid_grant body, nothing else.
        if (body.error === 'invalid_grant') expect(response.body).toBe('{"error":"invalid_grant"}');
        if (response.statusCode === 401) expect(body.error).toBe('invalid_client');
      }),
      { numRuns: 300 },
    );
  }, 180_000);
});
