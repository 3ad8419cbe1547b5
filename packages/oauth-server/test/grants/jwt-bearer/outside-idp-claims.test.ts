/**
 * ID-JAGs from a second, outside issuer (its JWKS on an ephemeral port, trusted through the registry like any IdP),
 * carrying the claims an outside IdP may send: RFC 9396 `authorization_details`, `tenant`, `aud_sub`, and the claims
 * this server cannot honour. Each is honoured or refused, never dropped (`id-jag-claims.ts`).
 */
import { decodeUnverified, localJwks, verifyAccessToken } from '@ema/jwt';
import type { AccessTokenClaims } from '@ema/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizationDetailType,
  createTrustedIssuerLookup,
  RedemptionRefusal,
  type ResourceForClient,
  type SubjectIdentity,
  type TrustedIdpEntry,
} from '../../../src/index.js';
import { type OutsideIdp, startOutsideIdp } from './outside-idp.js';
import { CLIENT, ISSUER, RESOURCE, type RedemptionRig, redemptionRig, SCOPES } from './redemption-rig.js';

const TICKETS: AuthorizationDetailType = {
  type: 'urn:acme:tickets',
  actions: ['read', 'create', 'update'],
  identifiers: true,
};
const OTHER_RESOURCE = 'https://other.example/mcp';

let idp: OutsideIdp;
let rig: RedemptionRig;
let trusted: TrustedIdpEntry;
const identities: SubjectIdentity[] = [];

beforeAll(async () => {
  idp = await startOutsideIdp();
  trusted = { issuer: idp.issuer, jwksUri: idp.jwksUri, algorithms: ['ES256'], tenants: ['acme', 'acme-eu'] };
  const resources = new Map<string, ResourceForClient>([
    [
      RESOURCE,
      { resource: RESOURCE, resourceScopes: SCOPES, clientScopes: SCOPES, authorizationDetailTypes: [TICKETS] },
    ],
  ]);
  rig = await redemptionRig({
    trustedIssuers: createTrustedIssuerLookup(
      { findTrustedIdp: (issuer) => (issuer === trusted.issuer ? trusted : undefined) },
      { ownIssuer: ISSUER },
    ),
    resources: {
      findResourceForClient: (resource, clientId) => (clientId === CLIENT ? resources.get(resource) : undefined),
    },
    subjects: {
      resolveSubject: (identity) => {
        identities.push(identity);
        return { accountId: `acct-${identity.tenant ?? '-'}-${identity.sub}`, email: null, name: null };
      },
    },
  });
});
afterAll(() => idp.close());

/** A valid ID-JAG of the outside IdP for tenant `acme`, with overrides. */
function mint(overrides: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(rig.clock.ms / 1000);
  return idp.mint({
    sub: 'u-1',
    aud: ISSUER,
    client_id: CLIENT,
    iat: now,
    exp: now + 300,
    resource: RESOURCE,
    scope: 'tickets.read tickets.write',
    tenant: 'acme',
    ...overrides,
  });
}

function redeem(assertion: string, extra: { authorizationDetails?: unknown[] } = {}) {
  return rig.redeem({
    assertion,
    clientId: CLIENT,
    scope: undefined,
    resource: undefined,
    ...(extra.authorizationDetails === undefined
      ? {}
      : {
          authorizationDetails: extra.authorizationDetails as NonNullable<AccessTokenClaims['authorization_details']>,
        }),
  });
}

async function refusalOf(promise: Promise<unknown>): Promise<[string, string]> {
  const error = await promise.then(
    () => undefined,
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof RedemptionRefusal)) throw new Error(`expected a RedemptionRefusal, got ${String(error)}`);
  return [error.error, error.reason];
}

async function accessTokenClaims(token: string): Promise<AccessTokenClaims> {
  const { claims } = await verifyAccessToken(token, {
    issuer: ISSUER,
    audience: RESOURCE,
    keys: localJwks({ keys: [rig.accessTokenKey.publicJwk] }),
    algorithms: ['ES256'],
    currentDate: new Date(rig.clock.ms),
  });
  return claims;
}

const jtiOf = (assertion: string) => String(decodeUnverified(assertion)?.claims.jti);
const consumed = (assertion: string) => rig.consumed.has(JSON.stringify([idp.issuer, jtiOf(assertion)]));

describe('outside IdP: authorization_details (RFC 9396, ID-JAG §4.4.1)', () => {
  it('[RAS-RFC9396-AUTHORIZATION-DETAILS-HONOURED] carries the granted details for this resource into the access token and the result', async () => {
    const assertion = await mint({
      authorization_details: [
        { type: 'urn:acme:tickets', actions: ['read', 'read'] },
        { type: 'urn:acme:tickets', actions: ['update'], identifier: '7', locations: [RESOURCE] },
        { type: 'urn:acme:tickets', actions: ['create'], locations: [OTHER_RESOURCE] },
      ],
    });
    const result = await redeem(assertion);
    const expected = [
      { type: 'urn:acme:tickets', locations: [RESOURCE], actions: ['read'] },
      { type: 'urn:acme:tickets', locations: [RESOURCE], actions: ['update'], identifier: '7' },
    ];
    expect(result.authorizationDetails).toEqual(expected);
    expect((await accessTokenClaims(result.accessToken)).authorization_details).toEqual(expected);
    expect(idp.jwksFetches()).toBeGreaterThan(0);
  });

  it('[RAS-RFC9396-AUTHORIZATION-DETAILS-HONOURED] issues a token without authorization_details when the ID-JAG has none', async () => {
    const result = await redeem(await mint());
    expect(result.authorizationDetails).toBeUndefined();
    expect((await accessTokenClaims(result.accessToken)).authorization_details).toBeUndefined();
  });

  it('[RAS-RFC9396-UNKNOWN-REFUSED] refuses an unknown type, an unknown field or action, as invalid_grant, without consuming the jti', async () => {
    const cases: Array<[unknown, string]> = [
      [[{ type: 'urn:acme:wiki', actions: ['read'] }], 'ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE'],
      [[{ type: 'urn:acme:tickets', actions: ['read'], datatypes: ['comment'] }], 'ERR_AUTHORIZATION_DETAILS_INVALID'],
      [[{ type: 'urn:acme:tickets', actions: ['read'], project: 'ops' }], 'ERR_AUTHORIZATION_DETAILS_INVALID'],
      [[{ type: 'urn:acme:tickets', actions: ['delete'] }], 'ERR_AUTHORIZATION_DETAILS_INVALID'],
      [[{ type: 'urn:acme:tickets' }], 'ERR_AUTHORIZATION_DETAILS_INVALID'],
      [[], 'ERR_AUTHORIZATION_DETAILS_NOT_FOR_RESOURCE'],
      [
        [{ type: 'urn:acme:tickets', actions: ['read'], locations: [OTHER_RESOURCE] }],
        'ERR_AUTHORIZATION_DETAILS_NOT_FOR_RESOURCE',
      ],
      [{ type: 'urn:acme:tickets', actions: ['read'] }, 'ERR_JWT_CLAIM_INVALID'],
    ];
    for (const [details, reason] of cases) {
      const assertion = await mint({ authorization_details: details });
      expect(await refusalOf(redeem(assertion)), JSON.stringify(details)).toEqual(['invalid_grant', reason]);
      expect(consumed(assertion)).toBe(false);
    }
  });

  it('[RAS-RFC9396-6.2-NARROWING] lets the token request narrow the details, never widen them', async () => {
    const granted = [{ type: 'urn:acme:tickets', actions: ['read', 'update'] }];
    const narrowed = await redeem(await mint({ authorization_details: granted }), {
      authorizationDetails: [{ type: 'urn:acme:tickets', actions: ['read'], identifier: '3' }],
    });
    expect(narrowed.authorizationDetails).toEqual([
      { type: 'urn:acme:tickets', locations: [RESOURCE], actions: ['read'], identifier: '3' },
    ]);
    const wider: unknown[][] = [
      [{ type: 'urn:acme:tickets', actions: ['create'] }],
      [{ type: 'urn:acme:wiki', actions: ['read'] }],
      [{ type: 'urn:acme:tickets', actions: ['read'], locations: [OTHER_RESOURCE] }],
      [],
    ];
    for (const wanted of wider) {
      const assertion = await mint({ authorization_details: granted });
      const [error] = await refusalOf(redeem(assertion, { authorizationDetails: wanted }));
      expect(error, JSON.stringify(wanted)).toBe('invalid_authorization_details');
      expect(consumed(assertion)).toBe(false);
    }
    const limited = [{ type: 'urn:acme:tickets', actions: ['read'], identifier: '3' }];
    const other = await refusalOf(
      redeem(await mint({ authorization_details: limited }), {
        authorizationDetails: [{ type: 'urn:acme:tickets', actions: ['read'], identifier: '4' }],
      }),
    );
    expect(other).toEqual(['invalid_authorization_details', 'ERR_AUTHORIZATION_DETAILS_EXCEED_GRANT']);
    expect(
      await refusalOf(
        redeem(await mint(), { authorizationDetails: [{ type: 'urn:acme:tickets', actions: ['read'] }] }),
      ),
    ).toEqual(['invalid_authorization_details', 'ERR_AUTHORIZATION_DETAILS_NOT_GRANTED']);
  });
});

describe('outside IdP: tenant, aud_sub (ID-JAG §3.1, §6)', () => {
  it('[RAS-IDJAG-TENANT-ACCOUNT-KEY] resolves the subject by (iss, tenant, sub): one sub in two tenants is two accounts', async () => {
    identities.length = 0;
    const acme = await accessTokenClaims((await redeem(await mint({ tenant: 'acme' }))).accessToken);
    const eu = await accessTokenClaims((await redeem(await mint({ tenant: 'acme-eu' }))).accessToken);
    expect(identities.map(({ iss, tenant, sub }) => ({ iss, tenant, sub }))).toEqual([
      { iss: idp.issuer, tenant: 'acme', sub: 'u-1' },
      { iss: idp.issuer, tenant: 'acme-eu', sub: 'u-1' },
    ]);
    expect(acme.sub).not.toBe(eu.sub);
  });

  it('[JWT-IDJAG-TENANT-PINNED] refuses a tenant the issuer is not trusted for, or none, as invalid_grant', async () => {
    for (const tenant of ['globex', undefined]) {
      const assertion = await mint({ tenant });
      expect(await refusalOf(redeem(assertion))).toEqual(['invalid_grant', 'ERR_JWT_TENANT_UNTRUSTED']);
      expect(consumed(assertion)).toBe(false);
    }
  });

  it('[RAS-IDJAG-AUD-SUB-CHECKED] accepts aud_sub naming the resolved account, refuses any other without consuming the jti', async () => {
    await expect(redeem(await mint({ aud_sub: 'acct-acme-u-1' }))).resolves.toMatchObject({
      account: { accountId: 'acct-acme-u-1' },
    });
    const other = await mint({ aud_sub: 'acct-acme-u-2' });
    expect(await refusalOf(redeem(other))).toEqual(['invalid_grant', 'ERR_AUD_SUB_MISMATCH']);
    expect(consumed(other)).toBe(false);
    expect(rig.audit.at(-1)).toMatchObject({ outcome: 'deny', reason: 'ERR_AUD_SUB_MISMATCH' });
  });
});

describe('outside IdP: claims refused, claims ignored', () => {
  it('[RAS-IDJAG-UNSUPPORTED-CLAIMS-REFUSED] refuses act, aud_tenant, and a cnf no DPoP proof backs, as invalid_grant rather than dropping them', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ act: { sub: 'agent-7' } }, 'ERR_ID_JAG_ACT_UNSUPPORTED'],
      [{ aud_tenant: 'tenant-9' }, 'ERR_ID_JAG_AUD_TENANT_UNSUPPORTED'],
      [{ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }, 'ERR_ID_JAG_CNF_UNPROVEN'],
    ];
    for (const [claims, reason] of cases) {
      const assertion = await mint(claims);
      expect(await refusalOf(redeem(assertion))).toEqual(['invalid_grant', reason]);
      expect(consumed(assertion)).toBe(false);
    }
  });

  it('[RAS-IDJAG-UNKNOWN-CLAIMS-IGNORED] ignores a claim outside the ID-JAG schema: redeemed, and not passed on', async () => {
    const result = await redeem(await mint({ groups: ['admins'], x_acme_cost_center: 'cc-7' }));
    const claims: Record<string, unknown> = await accessTokenClaims(result.accessToken);
    expect(claims.groups).toBeUndefined();
    expect(claims.x_acme_cost_center).toBeUndefined();
  });
});
