/**
 * Property-based tests: whatever a client sends, the validators answer with a coded JwtValidationError (or accept a
 * well-typed token), never a TypeError or another surprise that would become a 500 at the HTTP edge.
 */
import { EVENT_TYPE_SESSION_REVOKED, TYP_ACCESS_TOKEN, TYP_ID_JAG, TYP_SECEVENT } from '@ema/protocol';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type JwtErrorCode,
  JwtValidationError,
  type KeyResolver,
  verifyAccessToken,
  verifyIdJag,
  verifyIdToken,
  verifySecurityEventToken,
} from '../src/index.js';
import { b64json, makeKey, NOW, NOW_S, resolverFor, signRaw, type TestKey } from './support/fixtures.js';

const ISS = 'https://issuer.example.com';
const AUD = 'https://audience.example.com';
const CLIENT = 'client-1';

let key: TestKey;
let keys: KeyResolver;

beforeAll(async () => {
  key = await makeKey('k1');
  keys = resolverFor(key);
});

const CODES: Record<JwtErrorCode, true> = {
  ERR_JWT_MALFORMED: true,
  ERR_JWT_ALG_NOT_ALLOWED: true,
  ERR_JWT_TYP_MISMATCH: true,
  ERR_JWT_CRIT_UNSUPPORTED: true,
  ERR_JWT_ISSUER_UNTRUSTED: true,
  ERR_JWT_ISSUER_MISMATCH: true,
  ERR_JWT_TENANT_UNTRUSTED: true,
  ERR_JWKS_NO_MATCHING_KEY: true,
  ERR_JWKS_UNAVAILABLE: true,
  ERR_JWT_SIGNATURE_INVALID: true,
  ERR_JWT_AUD_MISMATCH: true,
  ERR_JWT_AZP_MISMATCH: true,
  ERR_JWT_CLIENT_ID_MISMATCH: true,
  ERR_JWT_EXPIRED: true,
  ERR_JWT_IAT_IN_FUTURE: true,
  ERR_JWT_NOT_YET_VALID: true,
  ERR_JWT_LIFETIME_EXCEEDED: true,
  ERR_JWT_CLAIM_INVALID: true,
  ERR_JWT_NONCE_MISMATCH: true,
  ERR_JWT_AUTH_TOO_OLD: true,
  ERR_JWT_TOO_OLD: true,
  ERR_SET_EVENTS_INVALID: true,
};
const KNOWN_CODES: readonly string[] = Object.keys(CODES);

function expectCoded(error: unknown): void {
  expect(error).toBeInstanceOf(JwtValidationError);
  if (error instanceof JwtValidationError) expect(KNOWN_CODES).toContain(error.code);
}

type Validator = (token: string) => Promise<{ claims: object }>;

const validators: Record<string, () => Validator> = {
  verifyIdJag: () => (token) =>
    verifyIdJag(token, {
      algorithms: ['ES256'],
      // Trust whatever issuer the token names, so random tokens reach the signature and claim checks.
      trustedIssuers: (iss) => ({ issuer: iss, keys }),
      audience: AUD,
      clientId: CLIENT,
      maxLifetimeSeconds: 900,
      currentDate: NOW,
    }),
  verifyAccessToken: () => (token) =>
    verifyAccessToken(token, { algorithms: ['ES256'], issuer: ISS, audience: AUD, keys, currentDate: NOW }),
  verifyIdToken: () => (token) =>
    verifyIdToken(token, {
      algorithms: ['ES256'],
      issuer: ISS,
      keys,
      clientId: CLIENT,
      maxAgeSeconds: 600,
      currentDate: NOW,
    }),
  verifySecurityEventToken: () => (token) =>
    verifySecurityEventToken(token, {
      algorithms: ['ES256'],
      trustedIssuers: (iss) => ({ issuer: iss, keys }),
      audience: AUD,
      maxAgeSeconds: 300,
      currentDate: NOW,
    }),
};

async function onlyCodedErrors(validate: Validator, token: string): Promise<void> {
  try {
    await validate(token);
  } catch (error) {
    expectCoded(error);
  }
}

const b64 = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_'.split('')), maxLength: 40 });
const claimNames = [
  'iss',
  'sub',
  'aud',
  'client_id',
  'jti',
  'iat',
  'exp',
  'nbf',
  'scope',
  'resource',
  'azp',
  'nonce',
  'auth_time',
  'amr',
  'email',
  'cnf',
  'events',
  'sub_id',
  'toe',
];
const headerNames = ['alg', 'typ', 'kid', 'crit', 'b64', 'jku', 'jwk', 'x5u'];
const looseValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    ISS,
    AUD,
    CLIENT,
    'ES256',
    'none',
    'HS256',
    TYP_ID_JAG,
    TYP_ACCESS_TOKEN,
    'JWT',
    TYP_SECEVENT,
    { [EVENT_TYPE_SESSION_REVOKED]: {} },
    { format: 'opaque', id: 'x' },
    'k1',
    NOW_S,
    NOW_S + 60,
  ),
);

// Each property runs hundreds of validations (ES256 verification included) and normally takes well under a second,
// but the first one in a worker also pays for JIT warm-up, and on a loaded 2-core machine a run has taken 25 s.
// A generous explicit timeout keeps the full numRuns (what the properties prove) instead of trimming them to fit
// the default 20 s; a real hang still fails, just later.
const PROPERTY_TIMEOUT_MS = 180_000;

for (const [name, make] of Object.entries(validators)) {
  describe(`${name}: random input only ever produces coded errors`, { timeout: PROPERTY_TIMEOUT_MS }, () => {
    it('[JWT-CODED-ERRORS] random strings', async () => {
      const validate = make();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            fc.array(b64, { maxLength: 6 }).map((parts) => parts.join('.')),
          ),
          (token) => onlyCodedErrors(validate, token),
        ),
        { numRuns: 300 },
      );
    });

    it('[JWT-CODED-ERRORS] random JSON headers and payloads, base64url-encoded', async () => {
      const validate = make();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom(...headerNames), looseValue)),
          fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom(...claimNames), looseValue)),
          b64,
          (header, payload, signature) =>
            onlyCodedErrors(validate, `${b64json(header)}.${b64json(payload)}.${signature}`),
        ),
        { numRuns: 300 },
      );
    });

    it('[JWT-CODED-ERRORS] validly signed tokens with random claim values', async () => {
      const validate = make();
      const event = name === 'verifySecurityEventToken';
      const typ =
        {
          verifyIdJag: TYP_ID_JAG,
          verifyAccessToken: TYP_ACCESS_TOKEN,
          verifySecurityEventToken: TYP_SECEVENT,
        }[name] ?? 'JWT';
      const base = event
        ? { iss: ISS, aud: AUD, jti: 'j', iat: NOW_S, events: { [EVENT_TYPE_SESSION_REVOKED]: {} } }
        : {
            iss: ISS,
            sub: 'alice',
            aud: name === 'verifyIdToken' ? CLIENT : AUD,
            client_id: CLIENT,
            jti: 'j',
            iat: NOW_S,
            exp: NOW_S + 60,
            auth_time: NOW_S,
          };
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...claimNames), looseValue, { maxKeys: 4 }),
          async (overrides) => {
            const token = await signRaw({ alg: 'ES256', typ, kid: 'k1' }, { ...base, ...overrides }, key.privateKey);
            const outcome = await validate(token).then(
              ({ claims }) => ({ claims: claims as Record<string, unknown> }),
              (error: unknown) => ({ error }),
            );
            if ('error' in outcome) return expectCoded(outcome.error);
            // Accepted: the typed result really has the types it claims.
            if (event) {
              expect(typeof outcome.claims.jti).toBe('string');
              expect(Number.isInteger(outcome.claims.iat)).toBe(true);
              expect(outcome.claims.sub).toBeUndefined();
              return;
            }
            expect(typeof outcome.claims.sub).toBe('string');
            expect(Number.isInteger(outcome.claims.exp)).toBe(true);
            if (name !== 'verifyIdToken' && outcome.claims.scope !== undefined) {
              expect(typeof outcome.claims.scope).toBe('string');
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}
