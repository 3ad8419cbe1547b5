import { TYP_ACCESS_TOKEN, TYP_ACCESS_TOKEN_MEDIA_TYPE, TYP_ID_JAG } from '@ema/protocol';
import { errors, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  JwtValidationError,
  type KeyResolver,
  localJwks,
  mintAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from '../src/index.js';
import {
  b64json,
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

const RAS = 'https://ras.example.com';
const RESOURCE = 'https://mcp.example.com/mcp';

let key: TestKey;
let otherKey: TestKey;

function options(
  overrides: Partial<VerifyAccessTokenOptions> = {},
  omit?: keyof VerifyAccessTokenOptions,
): VerifyAccessTokenOptions {
  const all: VerifyAccessTokenOptions = {
    algorithms: ['ES256'],
    issuer: RAS,
    audience: RESOURCE,
    keys: resolverFor(key),
    maxLifetimeSeconds: 900,
    currentDate: NOW,
    ...overrides,
  };
  if (omit !== undefined) delete all[omit];
  return all;
}

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: RAS,
    sub: 'alice',
    aud: RESOURCE,
    client_id: 'agent-host-at-ras',
    jti: 'at-1',
    iat: NOW_S - 10,
    exp: NOW_S + 890,
    scope: 'todos.read',
    ...overrides,
  };
}

const header = (overrides: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: TYP_ACCESS_TOKEN,
  kid: 'ras-1',
  ...overrides,
});

function sign(payload: unknown, headerOverrides: Record<string, unknown> = {}): Promise<string> {
  return signRaw(header(headerOverrides), payload, key.privateKey);
}

beforeAll(async () => {
  key = await makeKey('ras-1');
  otherKey = await makeKey('ras-1');
});

describe('verifyAccessToken: success', () => {
  it('[JWT-RFC9068-CLAIMS] accepts a minted access token and returns its claims and header', async () => {
    const token = await mintAccessToken(
      {
        iss: RAS,
        sub: 'alice',
        aud: RESOURCE,
        client_id: 'agent-host-at-ras',
        jti: 'at-1',
        iat: NOW_S - 10,
        exp: NOW_S + 890,
        scope: 'todos.read',
      },
      key.signer,
    );
    const result = await verifyAccessToken(token, options());
    expect(result.claims).toMatchObject({ sub: 'alice', client_id: 'agent-host-at-ras', scope: 'todos.read' });
    expect(result.header).toEqual({ alg: 'ES256', kid: 'ras-1', typ: TYP_ACCESS_TOKEN });
  });

  it('[JWT-RFC9068-TYP] accepts the media-type form application/at+jwt', async () => {
    const token = await sign(claims(), { typ: TYP_ACCESS_TOKEN_MEDIA_TYPE });
    await expect(verifyAccessToken(token, options())).resolves.toBeDefined();
  });

  it('[JWT-RFC9068-AUD] accepts aud as a one-element array', async () => {
    await expect(verifyAccessToken(await sign(claims({ aud: [RESOURCE] })), options())).resolves.toBeDefined();
  });

  it('[JWT-RFC9068-CLAIMS] accepts nbf at the epoch (0 is a NumericDate)', async () => {
    await expect(verifyAccessToken(await sign(claims({ nbf: 0 })), options())).resolves.toBeDefined();
  });

  it('[JWT-RFC9068-CLAIMS] accepts a token without scope, and without a lifetime cap when none is set', async () => {
    const token = await sign(without(claims({ exp: NOW_S + 86_400 }), 'scope'));
    await expect(verifyAccessToken(token, options({}, 'maxLifetimeSeconds'))).resolves.toBeDefined();
  });
});

describe('verifyAccessToken: refusals', () => {
  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses alg none', async () => {
    await expectCode(verifyAccessToken(unsecured(header(), claims()), options()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('[JWT-RFC8725-NO-HS] refuses an HS256 token signed with the public key as the secret', async () => {
    const token = await signRaw(header({ alg: 'HS256' }), claims(), key.publicPem);
    await expectCode(verifyAccessToken(token, options({ algorithms: ['HS256', 'ES256'] })), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('[JWT-RFC9068-TYP] refuses a wrong typ (an ID-JAG, JWT, none)', async () => {
    for (const typ of [TYP_ID_JAG, 'JWT', 'AT+JWT', undefined]) {
      await expectCode(verifyAccessToken(await sign(claims(), { typ }), options()), 'ERR_JWT_TYP_MISMATCH', 'typ');
    }
  });

  it('[JWT-RFC7515-CRIT] refuses a crit header it does not understand', async () => {
    const token = await sign(claims(), { crit: ['exp'], exp: 1 });
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_CRIT_UNSUPPORTED', 'crit');
  });

  it('[JWT-RFC9068-ISS] refuses an issuer other than the RAS', async () => {
    const token = await sign(claims({ iss: 'https://idp.example.com' }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_ISSUER_MISMATCH', 'iss');
  });

  it('[JWT-RFC9068-ISS] refuses an untrusted signer even when it claims the RAS issuer', async () => {
    const token = await signRaw(header(), claims(), otherKey.privateKey);
    const error = await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_SIGNATURE_INVALID');
    expect(error?.message).toMatch(/signature verification failed/);
  });

  it('[JWT-JWKS-KID] refuses an unknown kid', async () => {
    await expectCode(verifyAccessToken(await sign(claims(), { kid: 'ras-2' }), options()), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  it('[JWT-RFC9068-AUD] refuses aud as a two-element array', async () => {
    const token = await sign(claims({ aud: [RESOURCE, 'https://other.example.com/mcp'] }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
  });

  it('[JWT-RFC9068-AUD] refuses aud with an extra trailing slash', async () => {
    const token = await sign(claims({ aud: `${RESOURCE}/` }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
  });

  it('[JWT-RFC9068-CLAIMS] refuses a missing or non-string client_id', async () => {
    await expectCode(
      verifyAccessToken(await sign(without(claims(), 'client_id')), options()),
      'ERR_JWT_CLAIM_INVALID',
      'client_id',
    );
    await expectCode(
      verifyAccessToken(await sign(claims({ client_id: 1 })), options()),
      'ERR_JWT_CLAIM_INVALID',
      'client_id',
    );
  });

  it('[JWT-RFC7519-EXP] refuses an expired token', async () => {
    const token = await sign(claims({ iat: NOW_S - 900, exp: NOW_S - 31 }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_EXPIRED', 'exp');
  });

  it('[JWT-RFC7519-IAT] refuses an iat in the future', async () => {
    const token = await sign(claims({ iat: NOW_S + 31, exp: NOW_S + 600 }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_IAT_IN_FUTURE', 'iat');
  });

  it('[JWT-RFC7519-NBF] refuses a token that is not yet valid', async () => {
    await expectCode(verifyAccessToken(await sign(claims({ nbf: NOW_S + 31 })), options()), 'ERR_JWT_NOT_YET_VALID');
  });

  it('[JWT-RFC9068-LIFETIME] refuses a lifetime over the configured cap', async () => {
    const token = await sign(claims({ iat: NOW_S - 10, exp: NOW_S + 891 }));
    await expectCode(verifyAccessToken(token, options()), 'ERR_JWT_LIFETIME_EXCEEDED', 'exp');
  });

  for (const claim of ['jti', 'sub', 'iat', 'exp']) {
    it(`[JWT-RFC9068-CLAIMS] refuses a missing ${claim}`, async () => {
      await expectCode(
        verifyAccessToken(await sign(without(claims(), claim)), options()),
        'ERR_JWT_CLAIM_INVALID',
        claim,
      );
    });
  }

  for (const [claim, value] of [
    ['jti', 7],
    ['sub', ['alice']],
    ['sub', ''],
    ['scope', ['todos.read']],
    ['scope', null],
    ['iat', '0'],
    ['nbf', 'soon'],
    ['nbf', -1],
    ['nbf', NOW_S - 0.5],
  ] as const) {
    it(`[JWT-RFC9068-CLAIMS] refuses ${claim} = ${JSON.stringify(value)}`, async () => {
      await expectCode(
        verifyAccessToken(await sign(claims({ [claim]: value })), options()),
        'ERR_JWT_CLAIM_INVALID',
        claim,
      );
    });
  }

  it('[JWT-CODED-ERRORS] refuses a signature segment of impossible length as malformed', async () => {
    const [h, p] = (await sign(claims())).split('.');
    const error = await expectCode(verifyAccessToken(`${h}.${p}.AAAAA`, options()), 'ERR_JWT_MALFORMED');
    expect(error?.message).toMatch(/signature is not base64url/);
  });

  it('[JWT-CODED-ERRORS] refuses a truncated token and garbage', async () => {
    const token = await sign(claims());
    await expectCode(verifyAccessToken(token.split('.').slice(0, 2).join('.'), options()), 'ERR_JWT_MALFORMED');
    await expectCode(verifyAccessToken(token.slice(0, 40), options()), 'ERR_JWT_MALFORMED');
    for (const garbage of ['', 'Bearer x', 'a.b.c', '%%%.%%%.%%%']) {
      await expectCode(verifyAccessToken(garbage, options()), 'ERR_JWT_MALFORMED');
    }
  });
});

describe('verifyAccessToken: key resolution failures', () => {
  const withKeys = (keys: KeyResolver) => options({ keys });

  it('[JWT-CODED-ERRORS] turns a resolver that fails for an unknown reason into ERR_JWKS_UNAVAILABLE, keeping the cause', async () => {
    const failure = new Error('connection reset');
    const failing: KeyResolver = async () => {
      throw failure;
    };
    const error = await expectCode(verifyAccessToken(await sign(claims()), withKeys(failing)), 'ERR_JWKS_UNAVAILABLE');
    expect(error?.cause).toBe(failure);
  });

  it('[JWT-CODED-ERRORS] maps the failures of a jose remote JWK set used as the resolver (time-out, invalid set)', async () => {
    for (const failure of [new errors.JWKSTimeout(), new errors.JWKSInvalid('not a JWK set')]) {
      const failing: KeyResolver = async () => {
        throw failure;
      };
      const error = await expectCode(
        verifyAccessToken(await sign(claims()), withKeys(failing)),
        'ERR_JWKS_UNAVAILABLE',
      );
      expect(error?.cause).toBe(failure);
    }
  });

  it("[JWT-CODED-ERRORS] passes a resolver's own coded error through unchanged", async () => {
    const coded = new JwtValidationError('ERR_JWKS_NO_MATCHING_KEY', 'kid retired', { claim: 'kid' });
    const failing: KeyResolver = async () => {
      throw coded;
    };
    await expect(verifyAccessToken(await sign(claims()), withKeys(failing))).rejects.toBe(coded);
  });

  it('[JWT-RFC9068-ISS] refuses when the resolver hands out a key of another type', async () => {
    const { publicKey } = await generateKeyPair('Ed25519');
    const error = await expectCode(
      verifyAccessToken(
        await sign(claims()),
        withKeys(async () => publicKey),
      ),
      'ERR_JWT_SIGNATURE_INVALID',
    );
    expect(error?.message).toMatch(/not a P-256 public key/);
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses an allow-listed alg that jose does not implement', async () => {
    const token = `${b64json(header({ alg: 'XS256' }))}.${b64json(claims())}.c2lnbmF0dXJl`;
    const error = await expectCode(
      verifyAccessToken(token, options({ algorithms: ['ES256', 'XS256'] })),
      'ERR_JWT_ALG_NOT_ALLOWED',
      'alg',
    );
    expect(error?.cause).toBeInstanceOf(errors.JOSENotSupported);
  });
});

describe('verifyAccessToken: algorithms other than ES256 (through jose)', () => {
  async function rsaKey(kid: string) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256' };
    return { signer: { kid, alg: 'RS256', privateKey }, keys: localJwks({ keys: [publicJwk] }) };
  }
  const rs256 = (keys: KeyResolver) => options({ algorithms: ['RS256'], keys });

  it('[JWT-RFC8725-ALG-ALLOWLIST] mints and verifies an RS256 token when RS256 is allow-listed', async () => {
    const rsa = await rsaKey('ras-rsa');
    const token = await mintAccessToken(
      { iss: RAS, sub: 'alice', aud: RESOURCE, client_id: 'c', jti: 'j', iat: NOW_S, exp: NOW_S + 60 },
      rsa.signer,
    );
    const { header: verified } = await verifyAccessToken(token, rs256(rsa.keys));
    expect(verified).toMatchObject({ alg: 'RS256', kid: 'ras-rsa', typ: TYP_ACCESS_TOKEN });
  });

  it('[JWT-CODED-ERRORS] refuses an RS256 token signed by another key, keeping jose’s error as the cause', async () => {
    const [signer, verifier] = [await rsaKey('ras-rsa'), await rsaKey('ras-rsa')];
    const token = await mintAccessToken(
      { iss: RAS, sub: 'alice', aud: RESOURCE, client_id: 'c', jti: 'j', iat: NOW_S, exp: NOW_S + 60 },
      signer.signer,
    );
    const error = await expectCode(verifyAccessToken(token, rs256(verifier.keys)), 'ERR_JWT_SIGNATURE_INVALID');
    expect(error?.cause).toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });
});

describe('verifyAccessToken: what the key resolver is given', () => {
  it('[JWT-JWKS-KID] hands the resolver the header and the three segments of the token', async () => {
    const token = await sign(claims());
    const [protectedHeader, payload, signature] = token.split('.');
    let seen: unknown;
    const keys: KeyResolver = async (header, input) => {
      seen = { kid: header.kid, ...input };
      return key.publicKey;
    };
    await verifyAccessToken(token, options({ keys }));
    expect(seen).toEqual({ kid: 'ras-1', protected: protectedHeader, payload, signature });
  });
});
