import { TYP_ID_JAG } from '@ema/protocol';
import type { LightMyRequestResponse } from 'fastify';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config.js';
import {
  hmacWithPublicKey,
  signedByImpostor,
  signedByUnknownKid,
  signWithHeader,
  unsigned,
  withWrongType,
} from '../support/forged-assertions.js';
import { type Rig, redeem, redemptionAudit, startRas } from '../support/ras.js';
import { CLIENT_ID, CLIENT_SECRET, RAS_ISSUER, RESOURCE, type TestIdp } from '../support/test-idp.js';

interface AssertionCase {
  title: string;
  build: (idp: TestIdp, now: number) => Promise<string> | string;
  reason: string;
}

// ID-JAG §4.4.1 steps 2-7 and 11: every assertion failure, with the precise reason the audit log must hold.
const assertionCases: AssertionCase[] = [
  {
    title: '[RAS-IDJAG-4.4.1-TYP] a wrong typ (JWT)',
    build: (idp, now) => signWithHeader(idp, now, { typ: 'JWT' }),
    reason: 'ERR_JWT_TYP_MISMATCH',
  },
  {
    title: '[RAS-IDJAG-4.4.1-TYP] an at+jwt typ',
    build: (idp, now) => signWithHeader(idp, now, { typ: 'at+jwt' }),
    reason: 'ERR_JWT_TYP_MISMATCH',
  },
  {
    title: '[RAS-RFC8725-3.1-ALG-ALLOWLIST] alg none',
    build: (idp, now) => unsigned(idp, now),
    reason: 'ERR_JWT_ALG_NOT_ALLOWED',
  },
  {
    title: '[RAS-RFC8725-3.1-ALG-ALLOWLIST] HS256 keyed with the IdP public key (algorithm confusion)',
    build: hmacWithPublicKey,
    reason: 'ERR_JWT_ALG_NOT_ALLOWED',
  },
  {
    title: '[RAS-RFC8725-3.1-ALG-ALLOWLIST] an asymmetric alg outside the IdP allow-list (ES384)',
    build: async (idp, now) => {
      const { privateKey } = await generateKeyPair('ES384');
      return new SignJWT({ ...idp.claims(now) })
        .setProtectedHeader({ alg: 'ES384', typ: TYP_ID_JAG, kid: 'p384' })
        .sign(privateKey);
    },
    reason: 'ERR_JWT_ALG_NOT_ALLOWED',
  },
  {
    title: '[RAS-RFC7515-4.1.11-CRIT] an unknown crit extension',
    build: (idp, now) =>
      signWithHeader(
        idp,
        now,
        { crit: ['urn:example:ext'], 'urn:example:ext': true },
        { crit: { 'urn:example:ext': true } },
      ),
    reason: 'ERR_JWT_CRIT_UNSUPPORTED',
  },
  {
    title: '[RAS-IDJAG-4.4.1-TRUSTED-ISSUER] an issuer nobody configured',
    build: (idp, now) => idp.mint(now, { iss: 'https://evil.example' }),
    reason: 'ERR_JWT_ISSUER_UNTRUSTED',
  },
  {
    title: '[RAS-IDJAG-4.4.1-NOT-OWN-ISSUER] the RAS its own issuer',
    build: (idp, now) => idp.mint(now, { iss: RAS_ISSUER }),
    reason: 'ERR_JWT_ISSUER_UNTRUSTED',
  },
  {
    title: '[RAS-IDJAG-4.4.1-SIGNATURE] a bad signature under the IdP kid',
    build: signedByImpostor,
    reason: 'ERR_JWT_SIGNATURE_INVALID',
  },
  {
    title: '[RAS-IDJAG-4.4.1-SIGNATURE] a kid the IdP never published',
    build: signedByUnknownKid,
    reason: 'ERR_JWKS_NO_MATCHING_KEY',
  },
  {
    title: '[RAS-IDJAG-4.4.1-AUD-EXACT] an aud with a trailing slash',
    build: (idp, now) => idp.mint(now, { aud: `${RAS_ISSUER}/` }),
    reason: 'ERR_JWT_AUD_MISMATCH',
  },
  {
    title: '[RAS-IDJAG-4.4.1-AUD-EXACT] a two-element aud array',
    build: (idp, now) => idp.mint(now, { aud: [RAS_ISSUER, 'https://other.example'] }),
    reason: 'ERR_JWT_AUD_MISMATCH',
  },
  {
    title: '[RAS-IDJAG-4.4.1-AUD-EXACT] aud = the resource instead of the RAS issuer',
    build: (idp, now) => idp.mint(now, { aud: RESOURCE }),
    reason: 'ERR_JWT_AUD_MISMATCH',
  },
  {
    title: '[RAS-IDJAG-4.4.1-CLIENT-ID-BINDING] a client_id other than the authenticated client',
    build: (idp, now) => idp.mint(now, { client_id: 'agent-host' }),
    reason: 'ERR_JWT_CLIENT_ID_MISMATCH',
  },
  {
    title: '[RAS-IDJAG-4.4.1-TIMES] an expired ID-JAG (beyond the 30 s tolerance)',
    build: (idp, now) => idp.mint(now, { iat: now - 400, exp: now - 31 }),
    reason: 'ERR_JWT_EXPIRED',
  },
  {
    title: '[RAS-IDJAG-4.4.1-TIMES] an iat in the future',
    build: (idp, now) => idp.mint(now, { iat: now + 60, exp: now + 300 }),
    reason: 'ERR_JWT_IAT_IN_FUTURE',
  },
  {
    title: '[RAS-IDJAG-4.4.1-TIMES] an nbf in the future',
    build: (idp, now) => idp.mint(now, { nbf: now + 60 }),
    reason: 'ERR_JWT_NOT_YET_VALID',
  },
  {
    title: '[RAS-IDJAG-4.4.1-LIFETIME-CAP] a lifetime over the 15 min cap',
    build: (idp, now) => idp.mint(now, { exp: now + 901 }),
    reason: 'ERR_JWT_LIFETIME_EXCEEDED',
  },
  { title: 'a malformed assertion', build: () => 'not.a.jwt', reason: 'ERR_JWT_MALFORMED' },
  {
    title: 'a non-string scope (never a 500)',
    build: (idp, now) => withWrongType(idp, now, 'scope', 42),
    reason: 'ERR_JWT_CLAIM_INVALID',
  },
  {
    title: 'a non-string jti (never a 500)',
    build: (idp, now) => withWrongType(idp, now, 'jti', 7),
    reason: 'ERR_JWT_CLAIM_INVALID',
  },
  {
    title: 'a non-string resource (never a 500)',
    build: (idp, now) => withWrongType(idp, now, 'resource', { url: RESOURCE }),
    reason: 'ERR_JWT_CLAIM_INVALID',
  },
];

describe('jwt-bearer grant: refusals', () => {
  let rig: Rig;
  const invalidGrantResponses: LightMyRequestResponse[] = [];

  beforeAll(async () => {
    rig = await startRas({
      clients: [
        ...defaultConfig.clients,
        {
          clientId: 'public-app',
          name: 'A public client',
          secret: null,
          grants: [{ resource: RESOURCE, scopes: ['tickets.read'] }],
        },
      ],
    });
  });
  afterAll(() => rig.app.close());

  for (const testCase of assertionCases) {
    it(`[RAS-AUDIT-REASON] refuses ${testCase.title} with invalid_grant and audits ${testCase.reason}`, async () => {
      const response = await redeem(rig.app, await testCase.build(rig.idp, rig.clock.seconds));
      invalidGrantResponses.push(response);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: 'invalid_grant' });
      const [latest] = await redemptionAudit(rig.app);
      expect(latest).toMatchObject({ outcome: 'deny', reason: testCase.reason, client_id: CLIENT_ID });
    });
  }

  it('[RAS-RFC7523-3-JTI-SINGLE-USE] [RAS-AUDIT-REASON] refuses a replayed jti', async () => {
    const assertion = await rig.idp.mint(rig.clock.seconds);
    expect((await redeem(rig.app, assertion)).statusCode).toBe(200);
    const replay = await redeem(rig.app, assertion);
    invalidGrantResponses.push(replay);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toEqual({ error: 'invalid_grant' });
    const [latest] = await redemptionAudit(rig.app);
    expect(latest).toMatchObject({ outcome: 'deny', reason: 'ERR_ID_JAG_REPLAYED' });
  });

  it('[RAS-IDJAG-4.4.1-NO-ORACLE] answers every assertion failure with the byte-identical body and headers', () => {
    expect(invalidGrantResponses).toHaveLength(assertionCases.length + 1);
    for (const response of invalidGrantResponses) {
      expect(response.statusCode).toBe(400);
      expect(response.body).toBe('{"error":"invalid_grant"}');
      expect(response.headers['content-type']).toBe(invalidGrantResponses[0]?.headers['content-type']);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['www-authenticate']).toBeUndefined();
    }
  });

  it('[RAS-IDJAG-4.4.1-TIMES] accepts an ID-JAG expired by less than the clock tolerance', async () => {
    const now = rig.clock.seconds;
    const response = await redeem(rig.app, await rig.idp.mint(now, { iat: now - 300, exp: now - 20 }));
    expect(response.statusCode).toBe(200);
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] refuses an ID-JAG for a resource this RAS does not serve with invalid_target', async () => {
    const response = await redeem(
      rig.app,
      await rig.idp.mint(rig.clock.seconds, { resource: 'https://unknown.example/mcp' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_target' });
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ reason: 'ERR_RESOURCE_NOT_SERVED' });
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] refuses an ID-JAG with no resource claim with invalid_target', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { resource: undefined }));
    expect(response.json()).toMatchObject({ error: 'invalid_target' });
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ reason: 'ERR_RESOURCE_MISSING' });
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] refuses a resource parameter the ID-JAG does not grant', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds), [
      ['resource', 'http://localhost:3300/mcp/'],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_target' });
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ reason: 'ERR_RESOURCE_NOT_GRANTED' });
  });

  it('[RAS-IDJAG-4.4.1-NO-SCOPE-INVALID-SCOPE] refuses when no scope is grantable', async () => {
    const onlyIdp = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { scope: 'openid offline_access' }));
    expect(onlyIdp.statusCode).toBe(400);
    expect(onlyIdp.json()).toMatchObject({ error: 'invalid_scope' });
    const disjoint = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { scope: 'tickets.read' }), [
      ['scope', 'tickets.write'],
    ]);
    expect(disjoint.json()).toMatchObject({ error: 'invalid_scope' });
    const none = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { scope: undefined }));
    expect(none.json()).toMatchObject({ error: 'invalid_scope' });
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ reason: 'ERR_NO_GRANTABLE_SCOPE' });
  });

  it('[RAS-IDJAG-4.4.1-CLIENT-AUTH] refuses a wrong client secret with 401 invalid_client', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds), [], {
      method: 'basic',
      clientId: CLIENT_ID,
      secret: 'wrong-secret',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client' });
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await redemptionAudit(rig.app))[0]).toMatchObject({ outcome: 'deny', reason: 'invalid_client' });
  });

  it('[RAS-IDJAG-4.4.1-CLIENT-AUTH] accepts client_secret_post too', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds), [], {
      method: 'post',
      clientId: CLIENT_ID,
      secret: CLIENT_SECRET,
    });
    expect(response.statusCode).toBe(200);
  });

  it('[RAS-IDJAG-4.4.1-PUBLIC-CLIENT-REFUSED] refuses a public client with 401 invalid_client', async () => {
    const response = await redeem(rig.app, await rig.idp.mint(rig.clock.seconds, { client_id: 'public-app' }), [], {
      method: 'none',
      clientId: 'public-app',
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('[RAS-RFC7521-4.1-ASSERTION-REQUIRED] refuses a request without assertion with invalid_request', async () => {
    const response = await redeem(rig.app, undefined);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('[RAS-RFC6749-3.2-NO-REPEATED-PARAMS] refuses a repeated parameter with invalid_request', async () => {
    const assertion = await rig.idp.mint(rig.clock.seconds);
    const response = await redeem(rig.app, assertion, [
      ['scope', 'tickets.read'],
      ['scope', 'tickets.write'],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
    // Refused before the grant ran: the ID-JAG is still good.
    expect((await redeem(rig.app, assertion)).statusCode).toBe(200);
  });

  it('refuses another grant type with unsupported_grant_type', async () => {
    const { postForm } = await import('../support/ras.js');
    const response = await postForm(rig.app, '/token', [['grant_type', 'password']]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('[RAS-IDJAG-4.4.1-CONSUME-LAST] a refused request (wrong resource, no scope, wrong secret) never burns the jti', async () => {
    const assertion = await rig.idp.mint(rig.clock.seconds);
    expect((await redeem(rig.app, assertion, [['resource', 'https://unknown.example/mcp']])).statusCode).toBe(400);
    expect((await redeem(rig.app, assertion, [['scope', 'tickets.delete']])).statusCode).toBe(400);
    const wrongSecret = { method: 'basic', clientId: CLIENT_ID, secret: 'nope' } as const;
    expect((await redeem(rig.app, assertion, [], wrongSecret)).statusCode).toBe(401);
    const rightful = await redeem(rig.app, assertion);
    expect(rightful.statusCode).toBe(200);
  });
});
