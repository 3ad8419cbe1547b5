import { TYP_ACCESS_TOKEN, TYP_ID_JAG } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { mintIdToken, type VerifyIdTokenOptions, verifyIdToken } from '../src/index.js';
import {
  expectCode,
  makeKey,
  NOW,
  NOW_S,
  resolverFor,
  signRaw,
  type TestKey,
  unsecured,
  without,
} from './support/fixtures.js';

const IDP = 'https://idp.example.com';
const CLIENT = 'agent-host';

let key: TestKey;

function options(
  overrides: Partial<VerifyIdTokenOptions> = {},
  omit?: keyof VerifyIdTokenOptions,
): VerifyIdTokenOptions {
  const all: VerifyIdTokenOptions = {
    algorithms: ['ES256'],
    issuer: IDP,
    keys: resolverFor(key),
    clientId: CLIENT,
    nonce: 'n-0S6_WzA2Mj',
    currentDate: NOW,
    ...overrides,
  };
  if (omit !== undefined) delete all[omit];
  return all;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: IDP,
    sub: 'alice',
    aud: CLIENT,
    jti: 'idt-1',
    iat: NOW_S - 10,
    exp: NOW_S + 590,
    nonce: 'n-0S6_WzA2Mj',
    auth_time: NOW_S - 120,
    email: 'alice@example.com',
    ...overrides,
  };
}

const header = (overrides: Record<string, unknown> = {}) => ({ alg: 'ES256', typ: 'JWT', kid: 'idp-1', ...overrides });

function sign(payload: unknown, headerOverrides: Record<string, unknown> = {}): Promise<string> {
  return signRaw(header(headerOverrides), payload, key.privateKey);
}

beforeAll(async () => {
  key = await makeKey('idp-1');
});

describe('verifyIdToken: success', () => {
  it('[JWT-OIDC-ISS] accepts a minted ID token and returns its claims and header', async () => {
    const token = await mintIdToken(
      { iss: IDP, sub: 'alice', aud: CLIENT, iat: NOW_S - 10, exp: NOW_S + 590, nonce: 'n-0S6_WzA2Mj' },
      key.signer,
    );
    const result = await verifyIdToken(token, options());
    expect(result.claims).toMatchObject({ iss: IDP, sub: 'alice', aud: CLIENT });
    expect(result.header).toEqual({ alg: 'ES256', kid: 'idp-1', typ: 'JWT' });
  });

  it('[JWT-RFC8725-3.11-TYP] accepts an ID token without typ (OIDC registers none)', async () => {
    await expect(verifyIdToken(await sign(claims(), { typ: undefined }), options())).resolves.toBeDefined();
  });

  it('[JWT-OIDC-AZP] accepts several audiences when azp is the client', async () => {
    const token = await sign(claims({ aud: [CLIENT, 'https://api.example.com'], azp: CLIENT }));
    await expect(verifyIdToken(token, options())).resolves.toBeDefined();
  });

  it('[JWT-OIDC-NONCE] accepts a token without nonce when none was sent; jti is optional', async () => {
    const token = await sign(without(without(claims(), 'nonce'), 'jti'));
    await expect(verifyIdToken(token, options({}, 'nonce'))).resolves.toBeDefined();
  });

  it('[JWT-OIDC-NONCE] ignores the nonce claim when no nonce was sent', async () => {
    await expect(verifyIdToken(await sign(claims()), options({}, 'nonce'))).resolves.toBeDefined();
  });

  it('[JWT-OIDC-AUTH-TIME] accepts a recent enough authentication', async () => {
    await expect(verifyIdToken(await sign(claims()), options({ maxAgeSeconds: 300 }))).resolves.toBeDefined();
  });

  it('[JWT-OIDC-AUTH-TIME] applies the 30 s tolerance to max_age exactly: 120 s ago passes max_age 90, not 89', async () => {
    // auth_time is now - 120: with max_age 90 it is exactly at the tolerance bound (now - 30).
    await expect(verifyIdToken(await sign(claims()), options({ maxAgeSeconds: 90 }))).resolves.toBeDefined();
    await expectCode(
      verifyIdToken(await sign(claims()), options({ maxAgeSeconds: 89 })),
      'ERR_JWT_AUTH_TOO_OLD',
      'auth_time',
    );
  });
});

describe('verifyIdToken: refusals', () => {
  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses alg none', async () => {
    await expectCode(verifyIdToken(unsecured(header(), claims()), options()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('[JWT-RFC8725-NO-HS] refuses an HS256 token signed with the public key as the secret', async () => {
    const token = await signRaw(header({ alg: 'HS256' }), claims(), key.publicPem);
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('[JWT-RFC8725-3.11-TYP] refuses an ID-JAG or an access token presented as an ID token', async () => {
    for (const typ of [TYP_ID_JAG, TYP_ACCESS_TOKEN, 'jwt', 42]) {
      await expectCode(verifyIdToken(await sign(claims(), { typ }), options()), 'ERR_JWT_TYP_MISMATCH', 'typ');
    }
  });

  it('[JWT-RFC7515-CRIT] refuses a crit header it does not understand', async () => {
    const token = await sign(claims(), { crit: ['urn:example:ext'], 'urn:example:ext': 1 });
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_CRIT_UNSUPPORTED', 'crit');
  });

  it('[JWT-OIDC-ISS] refuses another issuer', async () => {
    const token = await sign(claims({ iss: 'https://evil.example.com' }));
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_ISSUER_MISMATCH', 'iss');
  });

  it('[JWT-JWKS-KID] refuses an unknown kid', async () => {
    await expectCode(verifyIdToken(await sign(claims(), { kid: 'idp-0' }), options()), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  it('[JWT-OIDC-AUD] refuses an aud that does not contain the client (including a trailing slash)', async () => {
    for (const aud of ['someone-else', `${CLIENT}/`, [`${CLIENT}/`], [], 42]) {
      await expectCode(verifyIdToken(await sign(claims({ aud })), options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
    }
  });

  it('[JWT-OIDC-AUD] refuses an aud array with a non-string member, even one that lists the client', async () => {
    const token = await sign(claims({ aud: [CLIENT, 42], azp: CLIENT }));
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
  });

  it('[JWT-OIDC-AZP] refuses a two-element aud without azp', async () => {
    const token = await sign(claims({ aud: [CLIENT, 'https://api.example.com'] }));
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_AZP_MISMATCH', 'azp');
  });

  it('[JWT-OIDC-AZP] refuses an azp that is another client (the wrong client_id)', async () => {
    const token = await sign(claims({ aud: [CLIENT, 'other-client'], azp: 'other-client' }));
    await expectCode(verifyIdToken(token, options()), 'ERR_JWT_AZP_MISMATCH', 'azp');
    await expectCode(verifyIdToken(await sign(claims({ azp: 'other-client' })), options()), 'ERR_JWT_AZP_MISMATCH');
  });

  it('[JWT-OIDC-NONCE] refuses a missing or different nonce', async () => {
    await expectCode(
      verifyIdToken(await sign(without(claims(), 'nonce')), options()),
      'ERR_JWT_NONCE_MISMATCH',
      'nonce',
    );
    await expectCode(verifyIdToken(await sign(claims({ nonce: 'other' })), options()), 'ERR_JWT_NONCE_MISMATCH');
  });

  it('[JWT-OIDC-AUTH-TIME] refuses an authentication older than max_age, or no auth_time', async () => {
    await expectCode(
      verifyIdToken(await sign(claims()), options({ maxAgeSeconds: 60 })),
      'ERR_JWT_AUTH_TOO_OLD',
      'auth_time',
    );
    const token = await sign(without(claims(), 'auth_time'));
    await expectCode(verifyIdToken(token, options({ maxAgeSeconds: 60 })), 'ERR_JWT_CLAIM_INVALID', 'auth_time');
  });

  it('[JWT-RFC7519-EXP] refuses an expired token', async () => {
    await expectCode(verifyIdToken(await sign(claims({ exp: NOW_S - 31 })), options()), 'ERR_JWT_EXPIRED', 'exp');
  });

  it('[JWT-RFC7519-IAT] refuses an iat in the future', async () => {
    await expectCode(verifyIdToken(await sign(claims({ iat: NOW_S + 31 })), options()), 'ERR_JWT_IAT_IN_FUTURE');
  });

  for (const claim of ['sub', 'iat', 'exp']) {
    it(`[JWT-OIDC-CLAIMS] refuses a missing ${claim}`, async () => {
      await expectCode(verifyIdToken(await sign(without(claims(), claim)), options()), 'ERR_JWT_CLAIM_INVALID', claim);
    });
  }

  for (const [claim, value] of [
    ['jti', 42],
    ['sub', 42],
    ['nonce', 1],
    ['auth_time', 'recently'],
    ['nbf', 'soon'],
    ['nbf', -1],
    ['email_verified', 'yes'],
    ['groups', 'admins'],
  ] as const) {
    it(`[JWT-OIDC-CLAIMS] refuses ${claim} = ${JSON.stringify(value)}`, async () => {
      await expectCode(
        verifyIdToken(await sign(claims({ [claim]: value })), options()),
        'ERR_JWT_CLAIM_INVALID',
        claim,
      );
    });
  }

  it('[JWT-CODED-ERRORS] refuses a truncated token and garbage', async () => {
    const token = await sign(claims());
    await expectCode(verifyIdToken(token.split('.').slice(0, 2).join('.'), options()), 'ERR_JWT_MALFORMED');
    for (const garbage of ['', 'null', 'a.b.c', 'e30.e30.e30']) {
      await expectCode(verifyIdToken(garbage, options()), 'ERR_JWT_MALFORMED');
    }
  });
});
