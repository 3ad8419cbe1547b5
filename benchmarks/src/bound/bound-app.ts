import { randomUUID } from 'node:crypto';
import {
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  MEDIA_TYPE_FORM,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_NOT_APPLICABLE,
  TYP_ACCESS_TOKEN,
  TYP_ID_JAG,
} from '@ema/protocol';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  EmbeddedJWK,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { verifyFloorRoute } from './verify-floor-route.js';

/** The bound's key: one ES256 key pair, used to verify the subject token and to sign the answer. */
export interface BoundConfig {
  privateJwk: JWK;
  issuer: string;
}

/** Where the floor of a tool call answers (`verify-floor-route.ts`): the MCP endpoint's path. */
export const VERIFY_FLOOR_PATH = '/mcp';

/** Where the flow floor (scenario 4f) redeems the bound's ID-JAG: the bound's work in the shape of a redemption. */
export const BOUND_REDEEM_PATH = '/redeem';

const ALGORITHM = 'ES256';
const TTL_SECONDS = 300;

/**
 * The bound: a bare Fastify endpoint that does only the signature work of a token exchange (scenario 1) and nothing
 * else: parse the same form body, verify one ES256 JWT, sign one ES256 JWT with the same claims an ID-JAG carries,
 * answer the same JSON shape. No client authentication, no policy, no storage, no audit, no logging. Every
 * scenario's throughput is reported as a ratio of this one's, which makes figures from different machines comparable.
 * The same process serves the floor of a tool call ({@link verifyFloorRoute}).
 */
export async function buildBoundApp(config: BoundConfig): Promise<FastifyInstance> {
  const { d: _private, ...publicJwk } = config.privateJwk;
  const privateKey = await importJWK(config.privateJwk, ALGORITHM);
  const publicKey = await importJWK(publicJwk, ALGORITHM);
  if (!isCryptoKey(publicKey)) throw new TypeError('the bound needs a WebCrypto key');
  const kid = config.privateJwk.kid ?? 'bound';

  const app = Fastify({ logger: false });
  app.addContentTypeParser(MEDIA_TYPE_FORM, { parseAs: 'string' }, (_request, body, done) => {
    done(null, new URLSearchParams(String(body)));
  });

  // The DPoP bound (RFC 9449): the same work plus one proof verification (typ, alg, signature by the embedded key,
  // htm, htu) and its key thumbprint, as every server does once per DPoP request.
  app.post('/token-dpop', async (request, reply) => {
    const proof = request.headers.dpop;
    try {
      const { payload, protectedHeader } = await jwtVerify(typeof proof === 'string' ? proof : '', EmbeddedJWK, {
        algorithms: [ALGORITHM],
        typ: 'dpop+jwt',
      });
      if (payload.htm !== 'POST' || typeof payload.htu !== 'string' || protectedHeader.jwk === undefined)
        throw new Error();
      await calculateJwkThumbprint(protectedHeader.jwk);
    } catch {
      return reply.code(400).send({ error: 'invalid_dpop_proof' });
    }
    return exchange(request.body, reply);
  });

  app.post('/token', async (request, reply) => exchange(request.body, reply));

  /** jose's `SignJWT`, as an implementer would write it: the claims plus `iss`, `aud`, `jti`, `iat` and `exp`. */
  function sign(claims: JWTPayload, typ: string, audience: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, kid, typ })
      .setIssuer(config.issuer)
      .setAudience(audience)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + TTL_SECONDS)
      .sign(privateKey);
  }

  async function exchange(body: unknown, reply: FastifyReply) {
    const params = body instanceof URLSearchParams ? body : new URLSearchParams();
    if (params.get('grant_type') !== GRANT_TYPE_TOKEN_EXCHANGE)
      return reply.code(400).send({ error: 'invalid_request' });
    const subjectToken = params.get('subject_token') ?? '';
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(subjectToken, publicKey, { algorithms: [ALGORITHM] }));
    } catch {
      return reply.code(400).send({ error: 'invalid_grant' });
    }
    const idJag = await sign(
      {
        sub: claims.sub ?? '',
        client_id: 'bound-client',
        resource: params.get('resource') ?? '',
        scope: params.get('scope') ?? '',
        email: claims.email,
      },
      TYP_ID_JAG,
      params.get('audience') ?? '',
    );
    reply.header('cache-control', 'no-store');
    return {
      issued_token_type: TOKEN_TYPE_ID_JAG,
      access_token: idJag,
      token_type: TOKEN_TYPE_NOT_APPLICABLE,
      expires_in: TTL_SECONDS,
      scope: params.get('scope') ?? '',
    };
  }

  // The redemption step of the flow floor (scenario 4f): verify the ID-JAG that /token signed, sign an access token
  // for the resource (`at+jwt`, which the floor of a tool call verifies). The same work as /token in another shape.
  app.post(BOUND_REDEEM_PATH, async (request, reply) => {
    const params = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    if (params.get('grant_type') !== GRANT_TYPE_JWT_BEARER) return reply.code(400).send({ error: 'invalid_request' });
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(params.get('assertion') ?? '', publicKey, {
        algorithms: [ALGORITHM],
        typ: TYP_ID_JAG,
      }));
    } catch {
      return reply.code(400).send({ error: 'invalid_grant' });
    }
    const scope = typeof claims.scope === 'string' ? claims.scope : '';
    const accessToken = await sign(
      { sub: claims.sub ?? '', client_id: 'bound-client', scope },
      TYP_ACCESS_TOKEN,
      params.get('resource') ?? '',
    );
    reply.header('cache-control', 'no-store');
    return { access_token: accessToken, token_type: 'Bearer', expires_in: TTL_SECONDS, scope };
  });

  // The second bound, the floor of a tool call: one verify, in the same process (its own route, its own file).
  await app.register(verifyFloorRoute, { publicKey, path: VERIFY_FLOOR_PATH });
  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}

function isCryptoKey(key: CryptoKey | Uint8Array): key is CryptoKey {
  return !(key instanceof Uint8Array);
}
