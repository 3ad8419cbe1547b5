import { TYP_ACCESS_TOKEN, TYP_ID_JAG } from '@ema/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { type KeyResolver, mintIdJag, type TrustedIssuer, type VerifyIdJagOptions, verifyIdJag } from '../src/index.js';
import {
  b64json,
  countingResolver,
  expectCode,
  makeKey,
  NOW,
  NOW_S,
  resolverFor,
  signRaw,
  signSegments,
  type TestKey,
  unsecured,
  without,
} from './support/fixtures.js';

const IDP = 'https://idp.example.com';
const RAS = 'https://ras.example.com';
const CLIENT = 'agent-host-at-ras';

let key: TestKey;
let otherKey: TestKey;
let idp: TrustedIssuer;

function options(overrides: Partial<VerifyIdJagOptions> = {}, omit?: keyof VerifyIdJagOptions): VerifyIdJagOptions {
  const all: VerifyIdJagOptions = {
    algorithms: ['ES256'],
    trustedIssuers: (iss) => (iss === IDP ? idp : undefined),
    audience: RAS,
    rejectIssuer: RAS,
    clientId: CLIENT,
    maxLifetimeSeconds: 900,
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
    aud: RAS,
    client_id: CLIENT,
    jti: 'jti-1',
    iat: NOW_S - 10,
    exp: NOW_S + 290,
    resource: 'https://mcp.example.com/mcp',
    scope: 'todos.read todos.write',
    email: 'alice@example.com',
    ...overrides,
  };
}

const header = (overrides: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  typ: TYP_ID_JAG,
  kid: 'idp-1',
  ...overrides,
});

function sign(payload: unknown, headerOverrides: Record<string, unknown> = {}): Promise<string> {
  return signRaw(header(headerOverrides), payload, key.privateKey);
}

/** `token` with its header segment replaced by `replacement` as given (no JWS library would sign it). */
function withHeader(token: string, replacement: Record<string, unknown>): string {
  return [b64json(replacement), ...token.split('.').slice(1)].join('.');
}

/** Options whose trusted IdP resolves keys through a counting resolver, to show a refusal came before any lookup. */
function countingOptions(inner: KeyResolver, overrides: Partial<VerifyIdJagOptions> = {}) {
  const counting = countingResolver(inner);
  const trusted: TrustedIssuer = { issuer: IDP, keys: counting.keys };
  return { options: options({ trustedIssuers: () => trusted, ...overrides }), lookups: counting.lookups };
}

beforeAll(async () => {
  key = await makeKey('idp-1');
  otherKey = await makeKey('idp-1');
  idp = { issuer: IDP, keys: resolverFor(key) };
});

describe('verifyIdJag: success', () => {
  it('[JWT-IDJAG-3-CLAIMS] accepts a well-formed ID-JAG and returns its claims and header', async () => {
    const token = await mintIdJag(
      {
        iss: IDP,
        sub: 'alice',
        aud: RAS,
        client_id: CLIENT,
        jti: 'jti-1',
        iat: NOW_S - 10,
        exp: NOW_S + 290,
        scope: 'todos.read',
      },
      key.signer,
    );
    const result = await verifyIdJag(token, options());
    expect(result.claims).toMatchObject({
      iss: IDP,
      sub: 'alice',
      client_id: CLIENT,
      jti: 'jti-1',
      scope: 'todos.read',
    });
    expect(result.header).toEqual({ alg: 'ES256', kid: 'idp-1', typ: TYP_ID_JAG });
  });

  it('[JWT-IDJAG-AUD-ONE] accepts aud as an array of exactly one element', async () => {
    await expect(verifyIdJag(await sign(claims({ aud: [RAS] })), options())).resolves.toBeDefined();
  });

  it('[JWT-IDJAG-3-CLAIMS] accepts an ID-JAG without scope (scope is present only when granted)', async () => {
    await expect(verifyIdJag(await sign(without(claims(), 'scope')), options())).resolves.toBeDefined();
  });

  it('[JWT-IDJAG-3-CLAIMS] accepts resource as an array of strings', async () => {
    const token = await sign(claims({ resource: ['https://mcp.example.com/mcp'] }));
    await expect(verifyIdJag(token, options())).resolves.toBeDefined();
  });

  it('[JWT-IDJAG-CLIENT-ID] skips the client_id binding only when no clientId is given', async () => {
    const token = await sign(claims({ client_id: 'someone-else' }));
    await expect(verifyIdJag(token, options({}, 'clientId'))).resolves.toBeDefined();
  });

  it('[JWT-RFC7519-EXP] accepts a token expired by less than the clock tolerance', async () => {
    const token = await sign(claims({ iat: NOW_S - 300, exp: NOW_S - 20 }));
    await expect(verifyIdJag(token, options())).resolves.toBeDefined();
  });
});

describe('verifyIdJag: header refusals (before any key lookup)', () => {
  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses alg none', async () => {
    await expectCode(verifyIdJag(unsecured(header(), claims()), options()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses alg none even when the allow-list names it', async () => {
    const token = unsecured(header(), claims());
    await expectCode(verifyIdJag(token, options({ algorithms: ['none', 'ES256'] })), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('[JWT-RFC8725-NO-HS] refuses an HS256 token signed with the public key as the secret', async () => {
    const token = await signRaw(header({ alg: 'HS256' }), claims(), key.publicPem);
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
    await expectCode(verifyIdJag(token, options({ algorithms: ['ES256', 'HS256'] })), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses none in any letter case before any key lookup, even when allow-listed', async () => {
    for (const alg of ['none', 'NONE', 'None']) {
      const { options: allowing, lookups } = countingOptions(idp.keys, { algorithms: [alg, 'ES256'] });
      const token = `${b64json(header({ alg }))}.${b64json(claims())}.`;
      await expectCode(verifyIdJag(token, allowing), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
      expect(lookups(), alg).toBe(0);
    }
  });

  it('[JWT-RFC8725-NO-HS] refuses HS256 before any key lookup, even allow-listed with a resolver that hands out the public key bytes', async () => {
    // The algorithm-confusion attack: with HS256 let through, this resolver's bytes would verify the forged token.
    const { options: allowing, lookups } = countingOptions(async () => key.publicPem, {
      algorithms: ['ES256', 'HS256'],
    });
    const token = await signRaw(header({ alg: 'HS256' }), claims(), key.publicPem);
    await expectCode(verifyIdJag(token, allowing), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
    expect(lookups()).toBe(0);
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses a header whose alg is missing, empty or not a string as malformed', async () => {
    const token = await sign(claims());
    for (const alg of [undefined, '', 256]) {
      await expectCode(verifyIdJag(withHeader(token, header({ alg })), options()), 'ERR_JWT_MALFORMED', 'alg');
    }
    // An empty alg is malformed even when an (equally empty) allow-list entry would match it.
    const emptyAllowed = options({ algorithms: ['', 'ES256'] });
    await expectCode(verifyIdJag(withHeader(token, header({ alg: '' })), emptyAllowed), 'ERR_JWT_MALFORMED', 'alg');
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses an asymmetric alg that is not on the allow-list', async () => {
    await expectCode(verifyIdJag(await sign(claims()), options({ algorithms: ['RS256'] })), 'ERR_JWT_ALG_NOT_ALLOWED');
  });

  it('[JWT-RFC8725-ALG-ALLOWLIST] refuses an alg that the trusted issuer does not allow', async () => {
    const strict: TrustedIssuer = { ...idp, algorithms: ['EdDSA'] };
    const token = await sign(claims());
    await expectCode(verifyIdJag(token, options({ trustedIssuers: () => strict })), 'ERR_JWT_ALG_NOT_ALLOWED', 'alg');
  });

  it('[JWT-IDJAG-3-TYP] refuses a wrong typ (at+jwt, JWT, the media-type form, none)', async () => {
    for (const typ of [TYP_ACCESS_TOKEN, 'JWT', `application/${TYP_ID_JAG}`, 'OAUTH-ID-JAG+JWT', undefined]) {
      await expectCode(verifyIdJag(await sign(claims(), { typ }), options()), 'ERR_JWT_TYP_MISMATCH', 'typ');
    }
  });

  it('[JWT-RFC7515-CRIT] refuses a crit header it does not understand', async () => {
    const token = await sign(claims(), { crit: ['urn:example:ext'], 'urn:example:ext': true });
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_CRIT_UNSUPPORTED', 'crit');
  });

  it('[JWT-RFC7515-CRIT] refuses a malformed crit header (RFC 7515 §4.1.11: an array of non-empty names)', async () => {
    const token = await sign(claims());
    const nested = [['urn:example:ext']];
    for (const crit of [[], [''], [42], nested, ['urn:example:ext', ''], ['urn:example:ext', 42], 'urn:example:ext']) {
      const malformed = withHeader(token, header({ crit, 'urn:example:ext': true }));
      await expectCode(verifyIdJag(malformed, options()), 'ERR_JWT_MALFORMED', 'crit');
    }
  });

  it('[JWT-IDJAG-3-KID] refuses a header without kid', async () => {
    await expectCode(verifyIdJag(await sign(claims(), { kid: undefined }), options()), 'ERR_JWT_MALFORMED', 'kid');
  });

  it('[JWT-IDJAG-3-KID] refuses an empty or non-string kid', async () => {
    const token = await sign(claims());
    for (const kid of ['', 42]) {
      await expectCode(verifyIdJag(withHeader(token, header({ kid })), options()), 'ERR_JWT_MALFORMED', 'kid');
    }
  });
});

describe('verifyIdJag: issuer and signature', () => {
  it('[JWT-IDJAG-ISS-TRUSTED] refuses an issuer nobody configured', async () => {
    const token = await sign(claims({ iss: 'https://evil.example.com' }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_ISSUER_UNTRUSTED', 'iss');
  });

  it('[JWT-IDJAG-ISS-TRUSTED] refuses a token claiming to be from the RAS itself', async () => {
    const self: TrustedIssuer = { issuer: RAS, keys: resolverFor(key) };
    const token = await sign(claims({ iss: RAS }));
    await expectCode(verifyIdJag(token, options({ trustedIssuers: () => self })), 'ERR_JWT_ISSUER_UNTRUSTED', 'iss');
  });

  it('[JWT-IDJAG-ISS-TRUSTED] refuses a missing or non-string iss', async () => {
    await expectCode(verifyIdJag(await sign(without(claims(), 'iss')), options()), 'ERR_JWT_CLAIM_INVALID', 'iss');
    await expectCode(verifyIdJag(await sign(claims({ iss: 42 })), options()), 'ERR_JWT_CLAIM_INVALID', 'iss');
  });

  it('[JWT-IDJAG-ISS-TRUSTED] turns a throwing trusted-issuer lookup into a coded refusal', async () => {
    const lookup = () => {
      throw new TypeError('boom');
    };
    const error = await expectCode(
      verifyIdJag(await sign(claims()), options({ trustedIssuers: lookup })),
      'ERR_JWT_ISSUER_UNTRUSTED',
      'iss',
    );
    expect(error?.cause).toBeInstanceOf(TypeError);
  });

  it('[JWT-IDJAG-ISS-TRUSTED] accepts a trusted issuer when no rejectIssuer is configured', async () => {
    await expect(verifyIdJag(await sign(claims()), options({}, 'rejectIssuer'))).resolves.toBeDefined();
  });

  it('[JWT-IDJAG-ISS-TRUSTED] refuses when the configured issuer does not equal iss exactly', async () => {
    const mismatched: TrustedIssuer = { issuer: `${IDP}/`, keys: resolverFor(key) };
    const token = await sign(claims());
    await expectCode(
      verifyIdJag(token, options({ trustedIssuers: () => mismatched })),
      'ERR_JWT_ISSUER_MISMATCH',
      'iss',
    );
  });

  it('[JWT-JWKS-KID] refuses an unknown kid', async () => {
    await expectCode(verifyIdJag(await sign(claims(), { kid: 'idp-9' }), options()), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  it('[JWT-RFC7523-3-SIGNATURE] refuses a signature by another key under the same kid', async () => {
    const token = await signRaw(header(), claims(), otherKey.privateKey);
    const error = await expectCode(verifyIdJag(token, options()), 'ERR_JWT_SIGNATURE_INVALID');
    // The log says the signature failed, not merely that the token could not be verified.
    expect(error?.message).toMatch(/signature verification failed/);
  });

  it('[JWT-RFC7523-3-SIGNATURE] refuses a token whose payload was altered after signing', async () => {
    const [h, , s] = (await sign(claims())).split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify(claims({ sub: 'mallory' }))).toString('base64url')}.${s}`;
    await expectCode(verifyIdJag(forged, options()), 'ERR_JWT_SIGNATURE_INVALID');
  });
});

describe('verifyIdJag: claim refusals', () => {
  it('[JWT-IDJAG-AUD-ONE] refuses aud as a two-element array', async () => {
    const token = await sign(claims({ aud: [RAS, 'https://other.example.com'] }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
  });

  it('[JWT-IDJAG-AUD-ONE] refuses aud with an extra trailing slash', async () => {
    await expectCode(verifyIdJag(await sign(claims({ aud: `${RAS}/` })), options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
  });

  it('[JWT-IDJAG-AUD-ONE] refuses a missing, empty or non-string aud', async () => {
    for (const aud of [undefined, [], [42], 42, '']) {
      await expectCode(verifyIdJag(await sign(claims({ aud })), options()), 'ERR_JWT_AUD_MISMATCH', 'aud');
    }
  });

  it('[JWT-IDJAG-CLIENT-ID] refuses a client_id other than the authenticated client', async () => {
    const token = await sign(claims({ client_id: 'agent-host-at-idp' }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_CLIENT_ID_MISMATCH', 'client_id');
  });

  it('[JWT-RFC7519-EXP] refuses an expired token', async () => {
    const token = await sign(claims({ iat: NOW_S - 600, exp: NOW_S - 31 }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_EXPIRED', 'exp');
  });

  it('[JWT-RFC7519-EXP] applies the 30 s tolerance to exp exactly: expired at now - 30, valid at now - 29', async () => {
    const atBound = await sign(claims({ iat: NOW_S - 600, exp: NOW_S - 30 }));
    await expectCode(verifyIdJag(atBound, options()), 'ERR_JWT_EXPIRED', 'exp');
    const inside = await sign(claims({ iat: NOW_S - 600, exp: NOW_S - 29 }));
    await expect(verifyIdJag(inside, options())).resolves.toBeDefined();
  });

  it('[JWT-RFC7519-NBF] applies the 30 s tolerance to nbf exactly: valid at now + 30, refused at now + 31', async () => {
    await expect(verifyIdJag(await sign(claims({ nbf: NOW_S + 30 })), options())).resolves.toBeDefined();
    await expectCode(verifyIdJag(await sign(claims({ nbf: NOW_S + 31 })), options()), 'ERR_JWT_NOT_YET_VALID', 'nbf');
  });

  it('[JWT-RFC7519-IAT] refuses an iat in the future (beyond the tolerance)', async () => {
    const token = await sign(claims({ iat: NOW_S + 60, exp: NOW_S + 300 }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_IAT_IN_FUTURE', 'iat');
  });

  it('[JWT-RFC7519-IAT] applies the 30 s tolerance to iat exactly: valid at now + 30, refused at now + 31', async () => {
    await expect(verifyIdJag(await sign(claims({ iat: NOW_S + 30 })), options())).resolves.toBeDefined();
    await expectCode(verifyIdJag(await sign(claims({ iat: NOW_S + 31 })), options()), 'ERR_JWT_IAT_IN_FUTURE', 'iat');
  });

  it('[JWT-RFC7519-NBF] refuses a token that is not yet valid', async () => {
    await expectCode(verifyIdJag(await sign(claims({ nbf: NOW_S + 60 })), options()), 'ERR_JWT_NOT_YET_VALID', 'nbf');
  });

  it('[JWT-IDJAG-LIFETIME] refuses a lifetime over the cap', async () => {
    const token = await sign(claims({ iat: NOW_S - 10, exp: NOW_S - 10 + 901 }));
    await expectCode(verifyIdJag(token, options()), 'ERR_JWT_LIFETIME_EXCEEDED', 'exp');
  });

  it('[JWT-IDJAG-LIFETIME] accepts a lifetime exactly at the cap', async () => {
    const token = await sign(claims({ iat: NOW_S - 10, exp: NOW_S - 10 + 900 }));
    await expect(verifyIdJag(token, options())).resolves.toBeDefined();
  });

  for (const claim of ['jti', 'sub', 'client_id', 'iat', 'exp']) {
    it(`[JWT-IDJAG-3-CLAIMS] refuses a missing ${claim}`, async () => {
      await expectCode(verifyIdJag(await sign(without(claims(), claim)), options()), 'ERR_JWT_CLAIM_INVALID', claim);
    });
  }

  for (const [claim, value] of [
    ['jti', 42],
    ['jti', ''],
    ['jti', ['a']],
    ['sub', null],
    ['sub', { id: 'alice' }],
    ['scope', ['todos.read']],
    ['scope', 7],
    ['client_id', true],
    ['resource', 42],
    ['resource', [1]],
    ['iat', NOW_S - 10.5],
    ['iat', -1],
    ['exp', 2 ** 53],
    ['nbf', 'yesterday'],
    ['nbf', -1],
    ['nbf', NOW_S - 0.5],
    ['email', 42],
    ['amr', 'pwd'],
  ] as const) {
    it(`[JWT-IDJAG-3-CLAIMS] refuses ${claim} = ${JSON.stringify(value)}`, async () => {
      await expectCode(verifyIdJag(await sign(claims({ [claim]: value })), options()), 'ERR_JWT_CLAIM_INVALID', claim);
    });
  }

  for (const [claim, value] of [
    ['jti', 'a\u0000'],
    ['sub', 'alice\u0007'],
    ['client_id', 'agent\u007f'],
    ['iss', `${IDP}\n`],
  ] as const) {
    it(`[JWT-CLAIM-NO-CONTROL] refuses ${claim} = ${JSON.stringify(value)}`, async () => {
      await expectCode(verifyIdJag(await sign(claims({ [claim]: value })), options()), 'ERR_JWT_CLAIM_INVALID', claim);
    });
  }

  it('[JWT-IDJAG-3-CLAIMS] refuses a non-numeric exp', async () => {
    await expectCode(verifyIdJag(await sign(claims({ exp: 'tomorrow' })), options()), 'ERR_JWT_CLAIM_INVALID', 'exp');
  });
});

describe('verifyIdJag: malformed input', () => {
  it('[JWT-CODED-ERRORS] refuses a truncated token', async () => {
    const token = await sign(claims());
    const [h, p] = token.split('.');
    await expectCode(verifyIdJag(`${h}.${p}`, options()), 'ERR_JWT_MALFORMED');
    await expectCode(verifyIdJag(`${h}.${p?.slice(0, 20)}.`, options()), 'ERR_JWT_MALFORMED');
    await expectCode(verifyIdJag(token.slice(0, -10), options()), 'ERR_JWT_SIGNATURE_INVALID');
  });

  it('[JWT-CODED-ERRORS] refuses garbage', async () => {
    for (const garbage of ['', 'garbage', 'a.b.c', '...', '{}.{}.{}', 'eyJ.eyJ.', 'a.b.c.d.e']) {
      await expectCode(verifyIdJag(garbage, options()), 'ERR_JWT_MALFORMED');
    }
  });

  it('[JWT-CODED-ERRORS] refuses a payload that is not a JSON object', async () => {
    await expectCode(verifyIdJag(await sign([1, 2, 3]), options()), 'ERR_JWT_MALFORMED');
    await expectCode(verifyIdJag(await sign('a string'), options()), 'ERR_JWT_MALFORMED');
  });

  it('[JWT-CODED-ERRORS] refuses a non-string token', async () => {
    await expectCode(verifyIdJag(42 as unknown as string, options()), 'ERR_JWT_MALFORMED');
  });
});

describe('verifyIdJag: decoding (before any key lookup)', () => {
  const payload = () => b64json(claims());

  it('[JWT-RFC7519-7.2-DECODE] refuses a validly signed payload segment with a character outside base64url', async () => {
    const { options: counted, lookups } = countingOptions(idp.keys);
    const encoded = payload();
    for (const segment of [`!${encoded}`, `${encoded.slice(0, 8)}!${encoded.slice(8)}`, `${encoded}!`, `${encoded}=`]) {
      const token = await signSegments(b64json(header()), segment, key.privateKey);
      await expectCode(verifyIdJag(token, counted), 'ERR_JWT_MALFORMED');
    }
    expect(lookups()).toBe(0);
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses a signature segment with a character outside base64url', async () => {
    const { options: counted, lookups } = countingOptions(idp.keys);
    const [h, p, s] = (await sign(claims())).split('.');
    for (const signature of [`!${s}`, `${s}!`, `${s}=`]) {
      await expectCode(verifyIdJag(`${h}.${p}.${signature}`, counted), 'ERR_JWT_MALFORMED');
    }
    expect(lookups()).toBe(0);
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses a validly signed payload that is not valid UTF-8', async () => {
    // RFC 7519 §7.2 step 10: the claims set is UTF-8; a lenient decoder would turn the stray byte into U+FFFD and
    // accept the token with a claim the issuer never wrote.
    const [before, after] = JSON.stringify(claims({ email: '@' })).split('@');
    const bytes = Buffer.concat([Buffer.from(before ?? ''), Buffer.from([0xff]), Buffer.from(after ?? '')]);
    const token = await signSegments(b64json(header()), bytes.toString('base64url'), key.privateKey);
    const { options: counted, lookups } = countingOptions(idp.keys);
    await expectCode(verifyIdJag(token, counted), 'ERR_JWT_MALFORMED');
    expect(lookups()).toBe(0);
  });

  it('[JWT-RFC7519-7.2-DECODE] refuses a header or payload that is JSON null', async () => {
    const { options: counted, lookups } = countingOptions(idp.keys);
    const token = await sign(claims());
    await expectCode(
      verifyIdJag(`${b64json(null)}.${token.split('.').slice(1).join('.')}`, counted),
      'ERR_JWT_MALFORMED',
    );
    await expectCode(
      verifyIdJag(await signSegments(b64json(header()), b64json(null), key.privateKey), counted),
      'ERR_JWT_MALFORMED',
    );
    expect(lookups()).toBe(0);
  });
});

describe('verifyIdJag: tenant pinned per trusted issuer', () => {
  const multiTenant = (): TrustedIssuer => ({ issuer: IDP, keys: resolverFor(key), tenants: ['acme', 'acme-eu'] });

  it('[JWT-IDJAG-TENANT-PINNED] accepts a tenant the issuer is trusted for', async () => {
    const token = await sign(claims({ tenant: 'acme-eu' }));
    const { claims: verified } = await verifyIdJag(token, options({ trustedIssuers: multiTenant }));
    expect(verified.tenant).toBe('acme-eu');
  });

  it('[JWT-IDJAG-TENANT-PINNED] refuses another tenant of a multi-tenant issuer, or none', async () => {
    const other = await sign(claims({ tenant: 'globex' }));
    await expectCode(
      verifyIdJag(other, options({ trustedIssuers: multiTenant })),
      'ERR_JWT_TENANT_UNTRUSTED',
      'tenant',
    );
    const missing = await sign(claims());
    await expectCode(
      verifyIdJag(missing, options({ trustedIssuers: multiTenant })),
      'ERR_JWT_TENANT_UNTRUSTED',
      'tenant',
    );
  });

  it('[JWT-IDJAG-TENANT-PINNED] refuses a tenant from an issuer trusted for no tenant (a single-tenant issuer)', async () => {
    await expectCode(
      verifyIdJag(await sign(claims({ tenant: 'acme' })), options()),
      'ERR_JWT_TENANT_UNTRUSTED',
      'tenant',
    );
    await expectCode(
      verifyIdJag(await sign(claims({ tenant: 'acme' })), options({ trustedIssuers: () => ({ ...idp, tenants: [] }) })),
      'ERR_JWT_TENANT_UNTRUSTED',
      'tenant',
    );
  });

  it('[JWT-IDJAG-TENANT-PINNED] reads an empty tenant list as a single-tenant issuer: no tenant is accepted', async () => {
    const noTenants = options({ trustedIssuers: () => ({ ...idp, tenants: [] }) });
    await expect(verifyIdJag(await sign(claims()), noTenants)).resolves.toMatchObject({ claims: { sub: 'alice' } });
  });

  it('[JWT-IDJAG-3-CLAIMS] refuses a malformed authorization_details (RFC 9396 §2: an array of objects with a type)', async () => {
    for (const bad of [{ type: 'x' }, ['read'], [{ actions: ['read'] }], [{ type: 'x', actions: 'read' }]]) {
      await expectCode(
        verifyIdJag(await sign(claims({ authorization_details: bad })), options()),
        'ERR_JWT_CLAIM_INVALID',
        'authorization_details',
      );
    }
  });
});
