import { EVENT_TYPE_ACCOUNT_DISABLED, TYP_ACCESS_TOKEN, TYP_ID_JAG, TYP_SECEVENT } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  mintSecurityEventToken,
  type VerifySecurityEventTokenOptions,
  verifySecurityEventToken,
} from '../src/index.js';
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
const RAS = 'https://ras.example.com';

let key: TestKey;
let otherKey: TestKey;

function options(overrides: Partial<VerifySecurityEventTokenOptions> = {}): VerifySecurityEventTokenOptions {
  return {
    algorithms: ['ES256'],
    trustedIssuers: (iss) => (iss === IDP ? { issuer: IDP, keys: resolverFor(key) } : undefined),
    audience: RAS,
    maxAgeSeconds: 300,
    currentDate: NOW,
    ...overrides,
  };
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: IDP,
    aud: RAS,
    jti: 'set-1',
    iat: NOW_S - 5,
    txn: 'txn-1',
    sub_id: { format: 'iss_sub', iss: IDP, sub: 'usr_alice' },
    events: { [EVENT_TYPE_ACCOUNT_DISABLED]: {} },
    ...overrides,
  };
}

const header = (overrides: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: TYP_SECEVENT,
  kid: 'idp-1',
  ...overrides,
});

function sign(payload: unknown, headerOverrides: Record<string, unknown> = {}): Promise<string> {
  return signRaw(header(headerOverrides), payload, key.privateKey);
}

beforeAll(async () => {
  key = await makeKey('idp-1');
  otherKey = await makeKey('idp-1');
});

describe('mintSecurityEventToken', () => {
  it('[SET-RFC8417-TYP] signs with typ secevent+jwt and verifies', async () => {
    const token = await mintSecurityEventToken(
      {
        iss: IDP,
        aud: RAS,
        jti: 'set-1',
        iat: NOW_S,
        sub_id: { format: 'iss_sub', iss: IDP, sub: 'usr_alice' },
        events: { [EVENT_TYPE_ACCOUNT_DISABLED]: {} },
      },
      key.signer,
    );
    const { claims: verified, header: verifiedHeader } = await verifySecurityEventToken(token, options());
    expect(verifiedHeader).toEqual({ alg: 'ES256', kid: 'idp-1', typ: TYP_SECEVENT });
    expect(verified.sub_id).toEqual({ format: 'iss_sub', iss: IDP, sub: 'usr_alice' });
  });

  it('[SET-SSF-NO-SUB-EXP] refuses to sign a SET carrying sub or exp', async () => {
    const base = { iss: IDP, aud: RAS, jti: 'j', iat: NOW_S, events: { [EVENT_TYPE_ACCOUNT_DISABLED]: {} } };
    const withSub: typeof base & { sub: string } = { ...base, sub: 'x' };
    const withExp: typeof base & { exp: number } = { ...base, exp: NOW_S + 1 };
    await expect(mintSecurityEventToken(withSub, key.signer)).rejects.toThrow(
      new TypeError('a Security Event Token must not carry "sub"'),
    );
    await expect(mintSecurityEventToken(withExp, key.signer)).rejects.toThrow(
      new TypeError('a Security Event Token must not carry "exp"'),
    );
  });
});

describe('verifySecurityEventToken: refusals', () => {
  it('[SET-RFC8725-ALG] refuses alg none and HS256 keyed with the public key', async () => {
    await expectCode(verifySecurityEventToken(unsecured(header(), claims()), options()), 'ERR_JWT_ALG_NOT_ALLOWED');
    const hs = await signRaw(header({ alg: 'HS256' }), claims(), key.publicPem);
    await expectCode(
      verifySecurityEventToken(hs, options({ algorithms: ['HS256', 'ES256'] })),
      'ERR_JWT_ALG_NOT_ALLOWED',
    );
  });

  it('[SET-RFC8417-TYP] accepts the media-type form of the typ, application/secevent+jwt', async () => {
    const token = await sign(claims(), { typ: `application/${TYP_SECEVENT}` });
    const { header: verified } = await verifySecurityEventToken(token, options());
    expect(verified.typ).toBe(`application/${TYP_SECEVENT}`);
  });

  it('[SET-RFC8417-TYP] refuses another kind of JWT (ID-JAG, access token, JWT, no typ)', async () => {
    for (const typ of [TYP_ID_JAG, TYP_ACCESS_TOKEN, 'JWT', undefined]) {
      await expectCode(verifySecurityEventToken(await sign(claims(), { typ }), options()), 'ERR_JWT_TYP_MISMATCH');
    }
  });

  it('[SET-ISSUER] refuses a foreign issuer, even correctly signed', async () => {
    const token = await sign(claims({ iss: 'https://evil.example.com' }));
    await expectCode(verifySecurityEventToken(token, options()), 'ERR_JWT_ISSUER_UNTRUSTED', 'iss');
  });

  it('[SET-ISSUER] refuses when the trusted-issuer lookup fails, keeping its failure as the cause', async () => {
    const outage = new Error('the stream registry is unavailable');
    const failing = options({
      trustedIssuers: () => {
        throw outage;
      },
    });
    await expect(verifySecurityEventToken(await sign(claims()), failing)).rejects.toMatchObject({
      code: 'ERR_JWT_ISSUER_UNTRUSTED',
      claim: 'iss',
      message: 'the trusted-issuer lookup failed',
      cause: outage,
    });
  });

  it('[SET-RFC8725-ALG] refuses an alg on the receiver allow-list that the transmitter is not allowed', async () => {
    const narrowed = (algorithms: string[]) =>
      options({
        algorithms: ['ES256', 'ES384'],
        trustedIssuers: (iss) => (iss === IDP ? { issuer: IDP, keys: resolverFor(key), algorithms } : undefined),
      });
    await expect(verifySecurityEventToken(await sign(claims()), narrowed(['ES384']))).rejects.toMatchObject({
      code: 'ERR_JWT_ALG_NOT_ALLOWED',
      claim: 'alg',
      message: 'alg is not allowed for this issuer',
    });
    await expect(verifySecurityEventToken(await sign(claims()), narrowed(['ES256']))).resolves.toBeDefined();
  });

  it('[SET-SIGNATURE] refuses a wrong signature and an unknown kid', async () => {
    await expectCode(
      verifySecurityEventToken(await signRaw(header(), claims(), otherKey.privateKey), options()),
      'ERR_JWT_SIGNATURE_INVALID',
    );
    await expectCode(
      verifySecurityEventToken(await sign(claims(), { kid: 'idp-2' }), options()),
      'ERR_JWKS_NO_MATCHING_KEY',
    );
  });

  it('[SET-AUDIENCE] refuses another audience or a two-element aud', async () => {
    await expectCode(
      verifySecurityEventToken(await sign(claims({ aud: 'https://other.example.com' })), options()),
      'ERR_JWT_AUD_MISMATCH',
    );
    await expectCode(
      verifySecurityEventToken(await sign(claims({ aud: [RAS, 'https://other.example.com'] })), options()),
      'ERR_JWT_AUD_MISMATCH',
    );
    await expect(verifySecurityEventToken(await sign(claims({ aud: [RAS] })), options())).resolves.toBeDefined();
  });

  it('[SET-IAT-WINDOW] refuses an iat older than the window, or in the future', async () => {
    await expectCode(
      verifySecurityEventToken(await sign(claims({ iat: NOW_S - 331 })), options()),
      'ERR_JWT_TOO_OLD',
      'iat',
    );
    await expect(verifySecurityEventToken(await sign(claims({ iat: NOW_S - 329 })), options())).resolves.toBeDefined();
    // The edge of the window (300 s plus the 30 s tolerance) is inside it.
    await expect(verifySecurityEventToken(await sign(claims({ iat: NOW_S - 330 })), options())).resolves.toBeDefined();
    await expectCode(
      verifySecurityEventToken(await sign(claims({ iat: NOW_S + 31 })), options()),
      'ERR_JWT_IAT_IN_FUTURE',
      'iat',
    );
  });

  it('[SET-SSF-NO-SUB-EXP] refuses a SET with sub or exp', async () => {
    await expectCode(
      verifySecurityEventToken(await sign(claims({ sub: 'x' })), options()),
      'ERR_JWT_CLAIM_INVALID',
      'sub',
    );
    await expectCode(
      verifySecurityEventToken(await sign(claims({ exp: NOW_S + 60 })), options()),
      'ERR_JWT_CLAIM_INVALID',
      'exp',
    );
  });

  it('[SET-RFC8417-CLAIMS] refuses missing jti, iat or events, and malformed events or sub_id', async () => {
    for (const claim of ['jti', 'iat']) {
      await expectCode(
        verifySecurityEventToken(await sign(without(claims(), claim)), options()),
        'ERR_JWT_CLAIM_INVALID',
        claim,
      );
    }
    for (const events of [
      undefined,
      null,
      {},
      [],
      'x',
      { 'not a uri': {} },
      { '': {} },
      { [EVENT_TYPE_ACCOUNT_DISABLED]: 'x' },
    ]) {
      await expectCode(
        verifySecurityEventToken(await sign(claims({ events })), options()),
        'ERR_SET_EVENTS_INVALID',
        'events',
      );
    }
    for (const subId of ['alice', null, {}, { format: 7 }, { format: '' }]) {
      await expectCode(
        verifySecurityEventToken(await sign(claims({ sub_id: subId })), options()),
        'ERR_JWT_CLAIM_INVALID',
        'sub_id',
      );
    }
  });

  it('[SET-RFC8417-CLAIMS] refuses a toe that is not a NumericDate, and accepts a SET without sub_id or toe', async () => {
    await expect(verifySecurityEventToken(await sign(claims({ toe: 'yesterday' })), options())).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_INVALID',
      claim: 'toe',
      message: '"toe" must be a NumericDate (whole seconds)',
    });
    const { claims: verified } = await verifySecurityEventToken(await sign(without(claims(), 'sub_id')), options());
    expect(verified.sub_id).toBeUndefined();
  });
});
